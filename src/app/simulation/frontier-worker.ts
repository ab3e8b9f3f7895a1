import { parentPort, workerData } from 'node:worker_threads';
import { evaluate } from '../../core/simulation/frontier.js';
import type { FamilyParams } from '../../core/simulation/policy-families.js';
import type { ReplayOrder } from '../../core/simulation/replay-book.js';

/** A thread of the frontier pool: the book's sales once, then candidates to replay, chunk by chunk. */
const orders = (workerData as { orders: ReplayOrder[] }).orders;
parentPort?.on('message', ({ id, params }: { id: number; params: FamilyParams[] }) => {
  parentPort?.postMessage({ id, points: params.map((p) => evaluate(orders, p)) });
});
