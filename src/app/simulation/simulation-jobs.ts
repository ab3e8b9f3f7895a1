import type { Selectable } from 'kysely';
import { DomainError } from '../../core/errors.js';
import { runOffLoop } from '../../jobs/off-loop.js';
import type { SimulationTable } from '../../store/schema.js';
import type { Actor, Services } from '../services.js';
import type { FrontierRequest } from './frontier-run.js';
import type { ReplayRequest } from './replay-run.js';
import type { StressRequest } from './stress-run.js';

export const SIMULATION_KINDS = ['replay', 'frontier', 'stress'] as const;
export const SIMULATION_STATUSES = ['running', 'done', 'failed', 'cancelled'] as const;
type SimulationStatus = (typeof SIMULATION_STATUSES)[number];
export type SimulationKind = (typeof SIMULATION_KINDS)[number];

export type SimulationRequest =
  | ({ kind: 'replay' } & ReplayRequest)
  | ({ kind: 'frontier' } & Omit<FrontierRequest, 'onProgress' | 'signal'>)
  | ({ kind: 'stress' } & StressRequest);

/** A running job writes its progress at most this often (and so shows it is alive). */
const PROGRESS_EVERY_MS = 1_000;
/** A running job silent for this long was interrupted (its process stopped): shown as failed. */
const SILENT_MS = 5 * 60_000;

// The jobs this process runs, to cancel them.
const running = new Map<string, AbortController>();

function view(row: Selectable<SimulationTable>, now: Date, withResult: boolean) {
  const interrupted =
    row.status === 'running' &&
    !running.has(row.id) &&
    now.getTime() - Date.parse(row.heartbeat_at) > SILENT_MS;
  return {
    id: row.id,
    kind: row.kind as SimulationKind,
    status: (interrupted ? 'failed' : row.status) as SimulationStatus,
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

/**
 * Starts a simulation as a background job (H2): it runs off the event loop (one heavy task at a
 * time), writes its progress as it goes, and keeps its result to be read and listed later; it can be
 * cancelled while it runs. The answer is the job as started: poll it for progress and the result.
 */
export async function startSimulation(services: Services, actor: Actor, request: SimulationRequest) {
  const { kind, ...input } = request;
  if (!(SIMULATION_KINDS as readonly string[]).includes(kind))
    throw new DomainError('invalid_kind', `kind must be one of ${SIMULATION_KINDS.join(', ')}`, 'kind');
  const { db } = services.store;
  const id = services.ids.next('sim');
  const now = () => services.clock.now().toISOString();
  await db
    .insertInto('simulations')
    .values({
      id,
      kind,
      status: 'running',
      request_json: JSON.stringify(input),
      done_count: 0,
      total_count: 1,
      result_json: null,
      error_code: null,
      error_message: null,
      requested_by: actor,
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
    void db
      .updateTable('simulations')
      .set({ done_count: done, total_count: total, heartbeat_at: now() })
      .where('id', '=', id)
      .where('status', '=', 'running')
      .executeTakeFirst()
      // Cancelled by another process: stop working on it.
      .then((r) => Number(r.numUpdatedRows) === 0 && controller.abort())
      .catch(() => undefined);
  };
  const finish = (values: Partial<Selectable<SimulationTable>>) =>
    db
      .updateTable('simulations')
      .set({ ...values, finished_at: now(), heartbeat_at: now() })
      .where('id', '=', id)
      .where('status', '=', 'running')
      .execute();
  void (async () => {
    try {
      const result = await runOffLoop(services, kind, input as never, {
        onProgress,
        signal: controller.signal,
      });
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
  return view(await simulationRow(services, id), services.clock.now(), false);
}

async function simulationRow(services: Services, id: string) {
  const row = await services.store.db
    .selectFrom('simulations')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw new DomainError('simulation_not_found', `simulation ${id} does not exist`);
  return row;
}

export async function getSimulation(services: Services, id: string) {
  return view(await simulationRow(services, id), services.clock.now(), true);
}

/** Simulations, newest first, without their results (read one for it). */
export async function listSimulations(services: Services, input: { kind?: string; limit?: number } = {}) {
  const rows = await services.store.db
    .selectFrom('simulations')
    .selectAll()
    .$if(input.kind !== undefined, (q) => q.where('kind', '=', input.kind as string))
    .orderBy('requested_at', 'desc')
    .orderBy('id', 'desc')
    .limit(input.limit ?? 50)
    .execute();
  return { items: rows.map((r) => view(r, services.clock.now(), false)) };
}

/** Stops a running simulation: its work ends and it is kept as cancelled. */
export async function cancelSimulation(services: Services, id: string) {
  const row = await simulationRow(services, id);
  if (row.status !== 'running')
    throw new DomainError('simulation_finished', `simulation ${id} is ${row.status} already`);
  const controller = running.get(id);
  if (controller) controller.abort();
  // A job of another process (or one interrupted) is marked here; its process stops writing to it.
  await services.store.db
    .updateTable('simulations')
    .set({
      status: 'cancelled',
      error_code: 'cancelled',
      error_message: 'cancelled on request',
      finished_at: services.clock.now().toISOString(),
    })
    .where('id', '=', id)
    .where('status', '=', 'running')
    .execute();
  return getSimulation(services, id);
}
