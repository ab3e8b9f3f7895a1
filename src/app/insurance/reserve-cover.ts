import { buyerCover, type InsuredInvoice } from '../../core/insurance/buyer-cover.js';
import type { InsuranceTerms } from '../../core/insurance/insurance-policy.js';
import type { CurrencyCode } from '../../core/money/currency.js';
import { openOn, type ReceivableHistory } from '../../core/provisions/receivable-history.js';
import type { CustomerCover } from '../../core/provisions/reserve.js';
import type { BusinessDate } from '../../core/time/business-date.js';
import { chunkOf, type Executor } from '../../store/write.js';
import { assertConverted, converter } from '../credit/fx-rates.js';
import { activeInsurance, decisionsByCustomer } from './buyer-limits.js';

/**
 * What insurance would pay of each customer's open receivables as of `asOf` (for the reserve),
 * everything read by business date up to `asOf`: the policy in force, the insurer's decisions
 * effective by then, the notifications made by then (cover is lost on an invoice whose
 * notification deadline passed without one), and the policy's aggregate first loss. Amounts in the
 * report currency.
 */
export async function coversAsOf(
  executor: Executor,
  asOf: BusinessDate,
  histories: readonly ReceivableHistory[],
  currency: CurrencyCode,
): Promise<{ covers: Map<string, CustomerCover>; firstLossMinor: number }> {
  const covers = new Map<string, CustomerCover>();
  const [policy] = await activeInsurance(executor, asOf);
  if (!policy) return { covers, firstLossMinor: 0 };
  const { toTarget, missing } = await converter(executor, asOf, currency, [policy.currency]);
  assertConverted(missing, currency, asOf);
  const terms: InsuranceTerms = {
    ...policy,
    deductibleMinor: toTarget(policy.deductibleMinor, policy.currency),
    discretionaryLimitMinor: toTarget(policy.discretionaryLimitMinor, policy.currency),
  };
  const open = new Map<string, { invoiceId: string; inv: InsuredInvoice }[]>();
  for (const h of histories) {
    const openMinor = openOn(h, asOf);
    if (openMinor <= 0) continue;
    const list = open.get(h.customerId) ?? [];
    list.push({ invoiceId: h.invoiceId, inv: { dueDate: h.dueDate, openMinor, notifiedOn: null } });
    open.set(h.customerId, list);
  }
  const firstLossMinor = toTarget(policy.aggregateFirstLossMinor, policy.currency);
  const ids = [...open.keys()];
  if (ids.length === 0) return { covers, firstLossMinor };
  const countries = new Map<string, string>();
  const notified = new Map<string, BusinessDate>();
  for (const chunk of chunkOf(ids, 5_000)) {
    for (const c of await executor
      .selectFrom('customers')
      .select(['id', 'country'])
      .where('id', 'in', chunk)
      .execute())
      countries.set(c.id, c.country);
    for (const n of await executor
      .selectFrom('insurer_notifications')
      .select(['invoice_id', 'notified_on'])
      .where('customer_id', 'in', chunk)
      .where('notified_on', '<=', asOf)
      .execute())
      notified.set(n.invoice_id, n.notified_on as BusinessDate);
  }
  const decisions = await decisionsByCustomer(executor, policy.id, asOf);
  for (const [customerId, list] of open) {
    const named = (decisions.get(customerId) ?? []).map((d) => ({
      ...d,
      approvedMinor: d.approvedMinor === null ? null : toTarget(d.approvedMinor, policy.currency),
    }));
    const cover = buyerCover(
      terms,
      named,
      countries.get(customerId) ?? '',
      list.map(({ invoiceId, inv }) => ({ ...inv, notifiedOn: notified.get(invoiceId) ?? null })),
      asOf,
    );
    if (cover.coveredMinor > 0)
      covers.set(customerId, { coveredMinor: cover.coveredMinor, indemnity: cover.indemnity });
  }
  return { covers, firstLossMinor };
}
