import { sql } from 'kysely';
import type { Services } from '../app/services.js';
import { DomainError } from '../core/errors.js';
import { OFF_LOOP_TASKS, type OffLoopTask, TASK_MIN_INVOICES } from './off-loop-tasks.js';
import { siblingModule, startThread } from './thread.js';

type Input<T extends OffLoopTask> = Parameters<(typeof OFF_LOOP_TASKS)[T]>[1];
type Output<T extends OffLoopTask> = Awaited<ReturnType<(typeof OFF_LOOP_TASKS)[T]>>;

/**
 * Below this many invoices a task runs in the calling thread: starting a thread and a connection
 * costs more than reading so small a book, and holds nothing up.
 */
export const OFF_LOOP_MIN_INVOICES = 20_000;

/** One heavy task at a time (each already uses every core); a few more wait, the rest are refused. */
const MAX_WAITING = 4;
let running: Promise<unknown> = Promise.resolve();
let waiting = 0;

/**
 * Runs a heavy read of the whole book (a frontier sweep, a back-test) on a worker thread with its
 * own connection, so requests keep being answered meanwhile; its errors come back as they were
 * thrown (a DomainError keeps its code and field).
 */
export interface OffLoopOptions {
  /** Below this many invoices the task runs in the calling thread (by default its own threshold). */
  readonly minInvoices?: number;
  /** Progress the task reports (a task that takes `onProgress` in its input). */
  readonly onProgress?: (done: number, total: number) => void;
  /** Stops the task: its thread is ended, or (in the calling thread) it stops at its next batch. */
  readonly signal?: AbortSignal;
}

export async function runOffLoop<T extends OffLoopTask>(
  services: Services,
  task: T,
  input: Input<T>,
  { minInvoices = TASK_MIN_INVOICES[task] ?? OFF_LOOP_MIN_INVOICES, onProgress, signal }: OffLoopOptions = {},
): Promise<Output<T>> {
  if (waiting >= MAX_WAITING)
    throw new DomainError(
      'rate_limited',
      `${waiting} heavy tasks are waiting already: try again in a minute`,
    );
  waiting++;
  const turn = running
    .catch(() => undefined)
    .then(async (): Promise<Output<T>> => {
      waiting--;
      if (signal?.aborted) throw new DomainError('cancelled', `the ${task} task was cancelled`);
      if (!(await bookHolds(services, minInvoices)))
        return (OFF_LOOP_TASKS[task] as (s: Services, i: Input<T>) => Promise<Output<T>>)(services, {
          ...input,
          ...(onProgress ? { onProgress } : {}),
          ...(signal ? { signal } : {}),
        });
      return onThread(services, task, input, onProgress, signal);
    });
  running = turn;
  return turn;
}

/** Whether the book holds at least `invoices` invoices (counted no further than that). */
export async function bookHolds(services: Services, invoices: number): Promise<boolean> {
  if (invoices <= 0) return true;
  if (!Number.isFinite(invoices)) return false;
  const { rows } = await sql<{
    n: number;
  }>`select count(*) as n from (select 1 from invoices limit ${invoices}) book`.execute(services.store.db);
  return Number(rows[0]?.n ?? 0) >= invoices;
}

function onThread<T extends OffLoopTask>(
  services: Services,
  task: T,
  input: Input<T>,
  onProgress?: (done: number, total: number) => void,
  signal?: AbortSignal,
): Promise<Output<T>> {
  const worker = startThread(siblingModule(import.meta.url, 'off-loop-worker'), {
    location: services.store.location,
    now: services.clock.now().toISOString(),
    today: services.clock.today(),
    task,
    input,
    progress: onProgress !== undefined,
  });
  return new Promise((resolve, reject) => {
    const cancel = () => {
      reject(new DomainError('cancelled', `the ${task} task was cancelled`));
      void worker.terminate();
    };
    signal?.addEventListener('abort', cancel, { once: true });
    worker.once('exit', () => signal?.removeEventListener('abort', cancel));
    worker.on(
      'message',
      (message: {
        ok: boolean;
        progress?: [number, number];
        result?: unknown;
        domain?: { code: string; message: string; field?: string };
        message?: string;
      }) => {
        if (message.progress) onProgress?.(...message.progress);
        else if (message.ok) resolve(message.result as Output<T>);
        else if (message.domain)
          reject(new DomainError(message.domain.code, message.domain.message, message.domain.field));
        else reject(new Error(`${task} failed on its thread: ${message.message}`));
      },
    );
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`${task} thread exited with code ${code}`));
    });
  });
}
