import { DomainError } from '../../core/errors.js';
import { type ReplayOrder, replayOrders } from '../../core/simulation/replay-book.js';
import { replayAppetiteBreaches } from '../../core/simulation/stress.js';
import { compiledPolicy } from '../credit/policies.js';
import { customerNames } from '../lookup.js';
import type { Services } from '../services.js';
import { loadSimulationBook } from './simulation-book.js';

/** Customers named as the ones a policy affects most. */
const MOST_AFFECTED = 10;

export interface ReplayRequest {
  /** The version to replay (a draft, an old one, 0 the built-in default); absent: the active one. */
  readonly policyVersion?: number;
}

/** What history itself did: every sale it made, and what they lost. */
export function historyOutcome(orders: readonly ReplayOrder[]) {
  let salesMinor = 0;
  let lossMinor = 0;
  let sales = 0;
  for (const o of orders)
    if (o.lossMinor !== null) {
      salesMinor += o.amountMinor;
      lossMinor += o.lossMinor;
      sales++;
    }
  return { sales, salesMinor, lossMinor };
}

/**
 * `fulcrum simulate replay` (H2): one policy version replayed over the book's whole history with the
 * live check's compiled code and the current limit rule — what it sells and loses (realised and
 * expected), its DSO, exposure and queue work, the appetite measures it breaches, and the customers
 * whose sales it would lose most against what history sold them.
 */
export async function runReplay(services: Services, request: ReplayRequest = {}) {
  if (
    request.policyVersion !== undefined &&
    !(Number.isInteger(request.policyVersion) && request.policyVersion >= 0)
  )
    throw new DomainError('invalid_setting', 'policyVersion must be a whole number ≥ 0', 'policyVersion');
  const book = await loadSimulationBook(services);
  const policy =
    request.policyVersion === undefined
      ? book.policy
      : await compiledPolicy(services.store.db, request.policyVersion);
  const { customers, ...outcome } = replayOrders(
    book.orders,
    { decide: policy.evaluate, limitMinor: book.currentLimit },
    { byCustomer: true },
  );
  const history = new Map<number, number>();
  for (const o of book.orders)
    if (o.lossMinor !== null) history.set(o.customer, (history.get(o.customer) ?? 0) + o.amountMinor);
  const affected = (customers ?? [])
    .filter((c) => c.lostMinor > 0)
    .sort((a, b) => b.lostMinor - a.lostMinor)
    .slice(0, MOST_AFFECTED);
  const ids = affected.map((c) => book.customerIds[c.customer] as string);
  const names = await customerNames(services.store.db, ids);
  return {
    currency: book.currency,
    from: book.from,
    to: book.to,
    sales: book.orders.length,
    unconvertedCurrencies: book.unconverted,
    policyVersion: policy.version,
    limitRule: "2 × the customer's monthly purchases over the last 12 months (the median sale for a new one)",
    history: historyOutcome(book.orders),
    outcome,
    appetiteBreaches: replayAppetiteBreaches(outcome, book.appetite),
    mostAffected: affected.map((c, k) => ({
      customerId: ids[k] as string,
      name: names.get(ids[k] as string)?.name ?? null,
      externalId: names.get(ids[k] as string)?.externalId ?? null,
      historySalesMinor: history.get(c.customer) ?? 0,
      salesMinor: c.salesMinor,
      lostMinor: c.lostMinor,
    })),
  };
}
