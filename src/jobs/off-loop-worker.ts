import { parentPort, workerData } from 'node:worker_threads';
import type { Services } from '../app/services.js';
import { DomainError } from '../core/errors.js';
import type { BusinessDate } from '../core/time/business-date.js';
import { openStore, type StoreLocation } from '../store/db.js';
import { ulidIds } from '../system.js';
import { OFF_LOOP_TASKS, type OffLoopTask } from './off-loop-tasks.js';

/** One heavy task on its own thread, with its own connection to the book, as of the caller's clock. */
const { location, now, today, task, input, progress } = workerData as {
  location: StoreLocation;
  now: string;
  today: BusinessDate;
  task: OffLoopTask;
  input: object;
  progress: boolean;
};
const store = openStore(location);
const services: Services = { store, clock: { now: () => new Date(now), today: () => today }, ids: ulidIds() };
try {
  const result = await (OFF_LOOP_TASKS[task] as (s: Services, i: unknown) => Promise<unknown>)(
    services,
    progress
      ? {
          ...input,
          onProgress: (done: number, total: number) => parentPort?.postMessage({ progress: [done, total] }),
        }
      : input,
  );
  parentPort?.postMessage({ ok: true, result });
} catch (error) {
  parentPort?.postMessage(
    error instanceof DomainError
      ? { ok: false, domain: { code: error.code, message: error.message, field: error.field } }
      : { ok: false, message: error instanceof Error ? (error.stack ?? error.message) : String(error) },
  );
} finally {
  await store.close();
}
