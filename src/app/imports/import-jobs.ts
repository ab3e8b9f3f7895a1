import { runOffLoop } from '../../jobs/off-loop.js';
import { getJob, listJobs, startJob } from '../jobs/tracked-jobs.js';
import type { Actor, Services } from '../services.js';
import type { ImportEncoding } from './decode-text.js';
import type { ImportKindName } from './kinds/index.js';
import type { ImportMode, ImportProblem, ImportResult } from './run-import.js';

/** A file this large is read and written on a worker thread, so orders keep being answered meanwhile. */
const OFF_LOOP_BYTES = 256 * 1024;
/** The report keeps this many problems (and says how many there were). */
const KEPT_PROBLEMS = 1_000;

export interface ImportRequest {
  readonly kind: ImportKindName;
  readonly fileName: string;
  readonly bytes: Uint8Array;
  readonly mode: ImportMode;
  readonly encoding: ImportEncoding;
}

/** Starts an uploaded file's import as a background job (I2): poll it for progress and the row report. */
export async function startImport(services: Services, actor: Actor, request: ImportRequest) {
  const { bytes, ...shown } = request;
  const job = await startJob(services, {
    table: 'import_jobs',
    idPrefix: 'imp',
    kind: request.kind,
    request: { ...shown, sizeBytes: bytes.length },
    actor,
    run: async (onProgress, signal) => {
      const result = await runOffLoop(
        services,
        'import',
        { ...request, actor },
        { minInvoices: bytes.length >= OFF_LOOP_BYTES ? 0 : Number.POSITIVE_INFINITY, onProgress, signal },
      );
      return result.ok
        ? result
        : {
            ok: false,
            problemCount: result.problems.length,
            problems: result.problems.slice(0, KEPT_PROBLEMS),
          };
    },
  });
  return job as ImportJob;
}

/** What a finished import keeps: its counts, or (nothing imported) the first problems and how many there were. */
type ImportReport =
  | Extract<ImportResult, { ok: true }>
  | { ok: false; problemCount: number; problems: ImportProblem[] };
type ImportJob = Awaited<ReturnType<typeof getJob>> & { result?: ImportReport | null };

export const getImport = async (services: Services, id: string) =>
  (await getJob(services, 'import_jobs', id)) as ImportJob;

export const listImports = async (services: Services, input: { kind?: string; limit?: number } = {}) =>
  (await listJobs(services, 'import_jobs', input)) as { items: ImportJob[] };
