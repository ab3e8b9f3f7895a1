import { DEFAULT_APPETITE } from '../../core/appetite/risk-appetite.js';
import { DomainError } from '../../core/errors.js';
import { NEW_CUSTOMER_DAYS } from '../../core/simulation/policy-families.js';
import type { ReplayOrder } from '../../core/simulation/replay-book.js';
import { median } from '../../core/statistics/quantile.js';
import { activePolicy } from '../credit/policies.js';
import { cycleByDay } from '../cycle/cycle-readings.js';
import { activeWarningRules } from '../monitoring/warning-rule-sets.js';
import type { Services } from '../services.js';
import { type ReplayBookOptions, readReplayOrders } from './book-orders.js';

/** The limit rule the current policy is replayed with: the usual ERP default, two months of purchases. */
const CURRENT_LIMIT_MULTIPLE = 2;

/**
 * The book's history made ready to replay (H2): the sales, the active policy, the appetite it
 * carries, the median sale (the unit of new-customer limits) and the current limit rule. PDs carry
 * the economic cycle's scale of each sale's month under the active policy's settings.
 */
export async function loadSimulationBook(
  services: Services,
  options: Omit<ReplayBookOptions, 'cycleOn'> = {},
) {
  const { db } = services.store;
  const book = await readReplayOrders(db, services.clock.today(), (await activeWarningRules(db)).rules, {
    ...options,
    cycleOn: await cycleByDay(db),
  });
  if (book.orders.length === 0)
    throw new DomainError('not_enough_history', 'the book has no sales to replay: import invoices first');
  const scale = median(book.orders.map((o) => o.amountMinor)) as number;
  const policy = await activePolicy(db);
  return {
    ...book,
    policy,
    appetite: policy.document.appetite ?? DEFAULT_APPETITE,
    scale,
    currentLimit: (o: ReplayOrder) =>
      Math.max(o.ageDays < NEW_CUSTOMER_DAYS ? scale : 0, CURRENT_LIMIT_MULTIPLE * o.monthlyPurchasesMinor),
  };
}
