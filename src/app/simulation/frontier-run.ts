import { DomainError } from '../../core/errors.js';
import {
  bestWithin,
  evaluateHere,
  type FrontierPoint,
  paretoFront,
  searchFrontier,
  searchSize,
} from '../../core/simulation/frontier.js';
import { NEW_CUSTOMER_DAYS } from '../../core/simulation/policy-families.js';
import { type ReplayOrder, replayOrders } from '../../core/simulation/replay-book.js';
import { median } from '../../core/statistics/quantile.js';
import { activePolicy } from '../credit/policies.js';
import { activeWarningRules } from '../monitoring/warning-rule-sets.js';
import type { Services } from '../services.js';
import { readReplayOrders } from './book-orders.js';
import { frontierPool } from './frontier-pool.js';

/** Sales × candidates from which the sweep runs on worker threads. */
const THREADS_FROM_REPLAYS = 2_000_000;

/** The limit rule the current policy is replayed with: the usual ERP default, two months of purchases. */
const CURRENT_LIMIT_MULTIPLE = 2;

export interface FrontierRequest {
  readonly candidates?: number;
  readonly lossBudgetMinor?: number;
  readonly seed?: number;
  readonly onProgress?: (done: number, total: number) => void;
  /** Worker threads to replay on (default: one per core). */
  readonly threads?: number;
}

const point = ({ params, salesMinor, lossMinor }: FrontierPoint) => ({ salesMinor, lossMinor, params });

/**
 * `fulcrum simulate frontier` (H2, CONTRACT.md): the book's whole history replayed under the current
 * policy, the static baseline family and Fulcrum's family, each with the live check's compiled
 * code; the baseline's and Fulcrum's best points within the loss budget (by default the current
 * policy's loss), and how much more Fulcrum's sells.
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
  const { db } = services.store;
  const { currency, unconverted, orders, from, to } = await readReplayOrders(
    db,
    services.clock.today(),
    (await activeWarningRules(db)).rules,
  );
  if (orders.length === 0)
    throw new DomainError('not_enough_history', 'the book has no sales to replay: import invoices first');
  const scale = median(orders.map((o) => o.amountMinor)) as number;
  const policy = await activePolicy(db);
  const currentLimit = (o: ReplayOrder) =>
    Math.max(o.ageDays < NEW_CUSTOMER_DAYS ? scale : 0, CURRENT_LIMIT_MULTIPLE * o.monthlyPurchasesMinor);
  const current = replayOrders(orders, { decide: policy.evaluate, limitMinor: currentLimit });
  const lossBudgetMinor = request.lossBudgetMinor ?? current.lossMinor;
  const search = { candidates, seed: request.seed ?? 1, lossBudgetMinor, newCustomerScaleMinor: scale };
  const total = searchSize(search);
  // Threads pay off on a real book; on a small one starting them costs more than the sweep.
  const onThreads = orders.length * total >= THREADS_FROM_REPLAYS;
  const pool = onThreads
    ? frontierPool(orders, (done) => request.onProgress?.(done, total), request.threads)
    : null;
  let swept: Awaited<ReturnType<typeof searchFrontier>>;
  try {
    swept = await searchFrontier(search, pool ? pool.evaluate : evaluateHere(orders));
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
  return {
    currency,
    from,
    to,
    sales: orders.length,
    // Sales in a currency with no rate to the report currency count in their own units.
    unconvertedCurrencies: unconverted,
    candidates,
    lossBudgetMinor,
    current: { ...current, policyVersion: policy.version },
    baseline: baselineBest ? point(baselineBest) : null,
    best: best ? point(best) : null,
    upliftPct,
    frontier: {
      baseline: paretoFront(baseline).map(point),
      fulcrum: paretoFront(fulcrum).map(point),
    },
  };
}
