import { DomainError } from '../../core/errors.js';
import {
  bestWithin,
  type EvaluateBatch,
  evaluateHere,
  paretoFront,
  paretoSet,
  searchFrontier,
  searchSize,
} from '../../core/simulation/frontier.js';
import { type ReplayOutcome, replayOrders } from '../../core/simulation/replay-book.js';
import { replayAppetiteBreaches } from '../../core/simulation/stress.js';
import type { Services } from '../services.js';
import { frontierPool } from './frontier-pool.js';
import { loadSimulationBook } from './simulation-book.js';

/** Sales × candidates from which the sweep runs on worker threads. */
const THREADS_FROM_REPLAYS = 2_000_000;

export interface FrontierRequest {
  readonly candidates?: number;
  readonly lossBudgetMinor?: number;
  readonly seed?: number;
  readonly onProgress?: (done: number, total: number) => void;
  /** Worker threads to replay on (default: one per core). */
  readonly threads?: number;
  readonly signal?: AbortSignal;
}

export function checkNotCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new DomainError('cancelled', 'the simulation was cancelled');
}

/**
 * `fulcrum simulate frontier` (H2, CONTRACT.md): the book's whole history replayed under the current
 * policy, the static baseline family and Fulcrum's family, each with the live check's compiled
 * code; the baseline's and Fulcrum's best points within the loss budget (by default the current
 * policy's loss), how much more Fulcrum's sells, the efficient set on sales, loss and DSO, and
 * which points stay inside the risk appetite.
 */
export async function runFrontier(services: Services, request: FrontierRequest = {}) {
  const candidates = request.candidates ?? 500;
  if (!Number.isInteger(candidates) || candidates < 1 || candidates > 100_000)
    throw new DomainError(
      'invalid_setting',
      'candidates must be a whole number from 1 to 100000',
      'candidates',
    );
  if (
    request.lossBudgetMinor !== undefined &&
    !(Number.isSafeInteger(request.lossBudgetMinor) && request.lossBudgetMinor >= 0)
  )
    throw new DomainError(
      'invalid_setting',
      'the loss budget must be whole minor units ≥ 0',
      'lossBudgetMinor',
    );
  const { currency, unconverted, orders, from, to, policy, appetite, scale, currentLimit } =
    await loadSimulationBook(services);
  checkNotCancelled(request.signal);
  const current = replayOrders(orders, { decide: policy.evaluate, limitMinor: currentLimit });
  const lossBudgetMinor = request.lossBudgetMinor ?? current.lossMinor;
  const search = { candidates, seed: request.seed ?? 1, lossBudgetMinor, newCustomerScaleMinor: scale };
  const total = searchSize(search);
  // Threads pay off on a real book; on a small one starting them costs more than the sweep.
  const onThreads = orders.length * total >= THREADS_FROM_REPLAYS;
  let done = 0;
  const pool = onThreads
    ? frontierPool(orders, (n) => request.onProgress?.(n, total), request.threads)
    : null;
  const here = evaluateHere(orders);
  const evaluate: EvaluateBatch = async (params) => {
    checkNotCancelled(request.signal);
    if (pool) return pool.evaluate(params);
    // Between batches the loop answers others (a cancel among them).
    await new Promise((resolve) => setImmediate(resolve));
    checkNotCancelled(request.signal);
    const points = await here(params);
    done += params.length;
    request.onProgress?.(done, total);
    return points;
  };
  let swept: Awaited<ReturnType<typeof searchFrontier>>;
  try {
    swept = await searchFrontier(search, evaluate);
  } finally {
    await pool?.close();
  }
  const { baseline, fulcrum } = swept;
  const baselineBest = bestWithin(baseline, lossBudgetMinor);
  const best = bestWithin(fulcrum, lossBudgetMinor);
  const upliftPct =
    baselineBest && best && baselineBest.salesMinor > 0
      ? Math.round((best.salesMinor / baselineBest.salesMinor - 1) * 10_000) / 100
      : null;
  const point = <T extends ReplayOutcome>(p: T) => {
    const breaches = replayAppetiteBreaches(p, appetite);
    return { ...p, withinAppetite: breaches.length === 0, appetiteBreaches: breaches };
  };
  const insideAppetite = fulcrum.filter((p) => replayAppetiteBreaches(p, appetite).length === 0);
  const bestInside = bestWithin(insideAppetite, lossBudgetMinor);
  return {
    currency,
    from,
    to,
    sales: orders.length,
    // Sales in a currency with no rate to the report currency count in their own units.
    unconvertedCurrencies: unconverted,
    candidates,
    lossBudgetMinor,
    appetite,
    current: { ...point(current), policyVersion: policy.version },
    baseline: baselineBest ? point(baselineBest) : null,
    best: best ? point(best) : null,
    /** Fulcrum's point with most sales within the budget that also keeps inside the appetite. */
    bestWithinAppetite: bestInside ? point(bestInside) : null,
    upliftPct,
    frontier: {
      baseline: paretoFront(baseline).map(point),
      fulcrum: paretoFront(fulcrum).map(point),
      /** Fulcrum's efficient set on all three objectives: sales ↑, loss ↓, DSO ↓. */
      efficient: paretoSet(fulcrum).map(point),
    },
  };
}
