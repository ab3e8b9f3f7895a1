import { readFileSync } from 'node:fs';
import { SingleBar } from 'cli-progress';
import type { ImportEncoding } from '../app/imports/decode-text.js';
import { importBytes } from '../app/imports/import-file.js';
import type { ImportKindName } from '../app/imports/kinds/index.js';
import type { ImportMode, ImportResult } from '../app/imports/run-import.js';
import type { Services } from '../app/services.js';

/** Imports one file from disk, with a progress bar on stderr for large files. */
export async function importCsv(
  services: Services,
  kindName: ImportKindName,
  file: string,
  options: { actor: string; progress: boolean; encoding?: ImportEncoding; mode?: ImportMode },
): Promise<ImportResult> {
  let bar: SingleBar | null = null;
  try {
    return await importBytes(services, kindName, file, readFileSync(file), {
      actor: options.actor,
      ...(options.mode ? { mode: options.mode } : {}),
      ...(options.encoding ? { encoding: options.encoding } : {}),
      onProgress: (done, total) => {
        if (!bar && options.progress && total >= 1_000) {
          bar = new SingleBar({
            format: `${kindName} [{bar}] {percentage}% {value}/{total} rows  {eta_formatted} left`,
            hideCursor: true,
          });
          bar.start(total, 0);
        }
        bar?.update(done);
      },
    });
  } finally {
    (bar as SingleBar | null)?.stop();
  }
}
