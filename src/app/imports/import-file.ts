import { DomainError } from '../../core/errors.js';
import type { Actor, Progress, Services } from '../services.js';
import type { ImportEncoding } from './decode-text.js';
import type { ImportKind } from './import-kind.js';
import { IMPORT_KINDS, type ImportKindName } from './kinds/index.js';
import { readTable } from './read-table.js';
import { fileProblem, type ImportMode, type ImportResult, runImport } from './run-import.js';

export interface ImportOptions {
  readonly actor: Actor;
  readonly mode?: ImportMode;
  readonly encoding?: ImportEncoding;
  readonly onProgress?: Progress;
}

/** Reads an upload or a file's bytes and imports them (CLI and HTTP alike); an unreadable file is the report's one problem. */
export async function importBytes(
  services: Services,
  kindName: ImportKindName,
  name: string,
  bytes: Uint8Array,
  options: ImportOptions,
): Promise<ImportResult> {
  let table: Awaited<ReturnType<typeof readTable>>;
  try {
    table = await readTable(name, bytes, options.encoding);
  } catch (error) {
    if (error instanceof DomainError) return fileProblem(error.code, error.message);
    const e = error as { code?: unknown; lines?: number; message: string };
    if (typeof e.code === 'string' && e.code.startsWith('CSV_'))
      return fileProblem('invalid_csv', e.message, e.lines ?? 0);
    throw error;
  }
  return runImport(services, IMPORT_KINDS[kindName] as ImportKind<unknown>, table, {
    actor: options.actor,
    mode: options.mode ?? 'insert',
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
}
