import { setPriority } from 'node:os';
import type { Services } from '../app/services.js';
import { DomainError } from '../core/errors.js';
import type { BusinessDate } from '../core/time/business-date.js';
import { openStore, type StoreLocation } from '../store/db.js';
import { ulidIds } from '../system.js';
import { OFF_LOOP_TASKS, type OffLoopTask } from './off-loop-tasks.js';

interface Job {
  location: StoreLocation;
  now: string;
  today: BusinessDate;
  task: OffLoopTask;
  input: object;
  progress: boolean;
}

// The lowest priority: the server beside it answers first, the heavy work takes what is left. The
// threads this process starts later (a frontier's pool) inherit it.
try {
  setPriority(19);
} catch {
  // Not allowed here: it runs at the server's priority.
}

/** One heavy task in its own process, with its own connection to the book, as of the caller's clock. */
process.once('message', async ({ location, now, today, task, input, progress }: Job) => {
  const store = openStore(location);
  const services: Services = {
    store,
    clock: { now: () => new Date(now), today: () => today },
    ids: ulidIds(),
  };
  const send = (message: unknown) =>
    new Promise((resolve) => process.send?.(message, undefined, {}, resolve));
  try {
    const result = await (OFF_LOOP_TASKS[task] as (s: Services, i: unknown) => Promise<unknown>)(
      services,
      progress
        ? { ...input, onProgress: (done: number, total: number) => void send({ progress: [done, total] }) }
        : input,
    );
    await send({ ok: true, result });
  } catch (error) {
    await send(
      error instanceof DomainError
        ? { ok: false, domain: { code: error.code, message: error.message, field: error.field } }
        : { ok: false, message: error instanceof Error ? (error.stack ?? error.message) : String(error) },
    );
  } finally {
    await store.close();
    process.disconnect?.();
  }
});
