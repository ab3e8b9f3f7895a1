import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import type { EvaluateBatch, FrontierPoint } from '../../core/simulation/frontier.js';
import type { FamilyParams } from '../../core/simulation/policy-families.js';
import type { ReplayOrder } from '../../core/simulation/replay-book.js';
import { siblingModule, startThread } from '../../jobs/thread.js';

/** Candidates sent to a thread at a time: small enough to share the work evenly, and to show progress. */
const CHUNK = 8;

/**
 * Replays candidates on worker threads (H2), one per core: the server's event loop and the CLI's
 * progress bar stay free while the sweep runs.
 */
export function frontierPool(
  orders: readonly ReplayOrder[],
  onProgress: (done: number) => void = () => {},
  threads = Math.max(1, availableParallelism()),
): { evaluate: EvaluateBatch; close(): Promise<void> } {
  const url = siblingModule(import.meta.url, 'frontier-worker');
  const workers = Array.from({ length: threads }, () => startThread(url, { orders }));
  let done = 0;
  let nextId = 0;

  const run = (worker: Worker, params: FamilyParams[]) =>
    new Promise<FrontierPoint[]>((resolve, reject) => {
      const id = nextId++;
      const onMessage = (message: { id: number; points: FrontierPoint[] }) => {
        if (message.id !== id) return;
        worker.off('message', onMessage);
        worker.off('error', reject);
        resolve(message.points);
      };
      worker.on('message', onMessage);
      worker.once('error', reject);
      worker.postMessage({ id, params });
    });

  const evaluate: EvaluateBatch = async <P extends FamilyParams>(params: readonly P[]) => {
    const points: FrontierPoint<P>[] = new Array(params.length);
    let next = 0;
    // Each thread takes the next chunk as soon as it is free: slow candidates do not leave one idle.
    await Promise.all(
      workers.map(async (worker) => {
        while (next < params.length) {
          const start = next;
          next += CHUNK;
          const chunk = params.slice(start, start + CHUNK);
          const result = (await run(worker, chunk)) as FrontierPoint<P>[];
          result.forEach((p, k) => {
            points[start + k] = p;
          });
          done += chunk.length;
          onProgress(done);
        }
      }),
    );
    return points;
  };
  return { evaluate, close: async () => void (await Promise.all(workers.map((w) => w.terminate()))) };
}
