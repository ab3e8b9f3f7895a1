import type { Selectable } from 'kysely';
import { DomainError } from '../../core/errors.js';
import { withoutWaiting } from '../../store/db.js';
import type { SimulationTable } from '../../store/schema.js';
import type { Actor, Services } from '../services.js';

/** The tables of background jobs (simulations, imports): the same columns, one lifecycle. */
export type JobTable = 'simulations' | 'import_jobs';
export const JOB_STATUSES = ['running', 'done', 'failed', 'cancelled'] as const;
type JobStatus = (typeof JOB_STATUSES)[number];
type JobRow = Selectable<SimulationTable>;

/** A running job writes its progress at most this often (and so shows it is alive). */
const PROGRESS_EVERY_MS = 1_000;
/** A running job silent for this long was interrupted (its process stopped): shown as failed. */
const SILENT_MS = 5 * 60_000;

// The jobs this process runs, to cancel them.
const running = new Map<string, AbortController>();

// Both tables have the same columns: one type serves both.
const tableOf = (table: JobTable) => table as 'simulations';

function view(row: JobRow, now: Date, withResult: boolean) {
  const interrupted =
    row.status === 'running' &&
    !running.has(row.id) &&
    now.getTime() - Date.parse(row.heartbeat_at) > SILENT_MS;
  return {
    id: row.id,
    kind: row.kind,
    status: (interrupted ? 'failed' : row.status) as JobStatus,
    request: JSON.parse(row.request_json) as Record<string, unknown>,
    progress: { done: row.done_count, total: row.total_count },
    error: interrupted
      ? { code: 'interrupted', message: 'the process running it stopped before it finished: run it again' }
      : row.error_code
        ? { code: row.error_code, message: row.error_message ?? '' }
        : null,
    requestedBy: row.requested_by,
    requestedAt: row.requested_at,
    finishedAt: row.finished_at,
    ...(withResult ? { result: row.result_json ? (JSON.parse(row.result_json) as unknown) : null } : {}),
  };
}

export interface JobSpec {
  readonly table: JobTable;
  readonly idPrefix: string;
  readonly kind: string;
  /** What the job was asked to do, shown with it. */
  readonly request: object;
  readonly actor: Actor;
  run(onProgress: (done: number, total: number) => void, signal: AbortSignal): Promise<unknown>;
}

/**
 * Starts a background job: it runs while the answer goes back, writes its progress as it goes, and
 * keeps its result to be read and listed later; it can be cancelled while it runs. The answer is
 * the job as started: poll it for progress and the result.
 */
export async function startJob(services: Services, spec: JobSpec) {
  const { db } = services.store;
  const table = tableOf(spec.table);
  const id = services.ids.next(spec.idPrefix);
  const now = () => services.clock.now().toISOString();
  await db
    .insertInto(table)
    .values({
      id,
      kind: spec.kind,
      status: 'running',
      request_json: JSON.stringify(spec.request),
      done_count: 0,
      total_count: 1,
      result_json: null,
      error_code: null,
      error_message: null,
      requested_by: spec.actor,
      requested_at: now(),
      heartbeat_at: now(),
      finished_at: null,
    })
    .execute();
  const controller = new AbortController();
  running.set(id, controller);
  let lastWrite = 0;
  let steps = 1;
  const onProgress = (done: number, total: number) => {
    steps = total;
    if (Date.now() - lastWrite < PROGRESS_EVERY_MS) return;
    lastWrite = Date.now();
    const update = db
      .updateTable(table)
      .set({ done_count: done, total_count: total, heartbeat_at: now() })
      .where('id', '=', id)
      .where('status', '=', 'running');
    // The job's own thread may hold SQLite's write lock: the beat is skipped, not waited for.
    void withoutWaiting(() => update.executeTakeFirst())
      // Cancelled by another process: stop working on it.
      .then((r) => Number(r.numUpdatedRows) === 0 && controller.abort())
      .catch(() => undefined);
  };
  const finish = (values: Partial<JobRow>) =>
    db
      .updateTable(table)
      .set({ ...values, finished_at: now(), heartbeat_at: now() })
      .where('id', '=', id)
      .where('status', '=', 'running')
      .execute();
  void (async () => {
    try {
      const result = await spec.run(onProgress, controller.signal);
      await finish({
        status: 'done',
        result_json: JSON.stringify(result),
        done_count: steps,
        total_count: steps,
      });
    } catch (error) {
      const known = error instanceof DomainError;
      await finish({
        status: known && error.code === 'cancelled' ? 'cancelled' : 'failed',
        error_code: known ? error.code : 'internal_error',
        error_message: error instanceof Error ? error.message : String(error),
      }).catch(() => undefined);
    } finally {
      running.delete(id);
    }
  })();
  return view(await jobRow(services, spec.table, id), services.clock.now(), false);
}

const notFound = (table: JobTable, id: string) =>
  table === 'simulations'
    ? new DomainError('simulation_not_found', `simulation ${id} does not exist`)
    : new DomainError('import_not_found', `import ${id} does not exist`);

async function jobRow(services: Services, table: JobTable, id: string) {
  const row = await services.store.db
    .selectFrom(tableOf(table))
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw notFound(table, id);
  return row;
}

export async function getJob(services: Services, table: JobTable, id: string) {
  return view(await jobRow(services, table, id), services.clock.now(), true);
}

/** Jobs, newest first, without their results (read one for it). */
export async function listJobs(
  services: Services,
  table: JobTable,
  input: { kind?: string; limit?: number } = {},
) {
  const rows = await services.store.db
    .selectFrom(tableOf(table))
    .selectAll()
    .$if(input.kind !== undefined, (q) => q.where('kind', '=', input.kind as string))
    .orderBy('requested_at', 'desc')
    .orderBy('id', 'desc')
    .limit(input.limit ?? 50)
    .execute();
  return { items: rows.map((r) => view(r, services.clock.now(), false)) };
}

/** Stops a running job: its work ends and it is kept as cancelled. */
export async function cancelJob(services: Services, table: JobTable, id: string) {
  const row = await jobRow(services, table, id);
  if (row.status !== 'running')
    throw new DomainError(
      table === 'simulations' ? 'simulation_finished' : 'import_finished',
      `${table === 'simulations' ? 'simulation' : 'import'} ${id} is ${row.status} already`,
    );
  running.get(id)?.abort();
  // A job of another process (or one interrupted) is marked here; its process stops writing to it.
  await services.store.db
    .updateTable(tableOf(table))
    .set({
      status: 'cancelled',
      error_code: 'cancelled',
      error_message: 'cancelled on request',
      finished_at: services.clock.now().toISOString(),
    })
    .where('id', '=', id)
    .where('status', '=', 'running')
    .execute();
  return getJob(services, table, id);
}
