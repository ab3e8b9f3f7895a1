import type { Services } from '../app/services.js';
import { DomainError } from '../core/errors.js';
import { OFF_LOOP_TASKS, type OffLoopTask } from './off-loop-tasks.js';
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
export async function runOffLoop<T extends OffLoopTask>(
  services: Services,
  task: T,
  input: Input<T>,
  minInvoices = OFF_LOOP_MIN_INVOICES,
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
      const { n } = await services.store.db
        .selectFrom('invoices')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      if (Number(n) < minInvoices)
        return (OFF_LOOP_TASKS[task] as (s: Services, i: Input<T>) => Promise<Output<T>>)(services, input);
      return onThread(services, task, input);
    });
  running = turn;
  return turn;
}

function onThread<T extends OffLoopTask>(services: Services, task: T, input: Input<T>): Promise<Output<T>> {
  const worker = startThread(siblingModule(import.meta.url, 'off-loop-worker'), {
    location: services.store.location,
    now: services.clock.now().toISOString(),
    today: services.clock.today(),
    task,
    input,
  });
  return new Promise((resolve, reject) => {
    worker.once(
      'message',
      (message: {
        ok: boolean;
        result?: unknown;
        domain?: { code: string; message: string; field?: string };
        message?: string;
      }) => {
        if (message.ok) resolve(message.result as Output<T>);
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
