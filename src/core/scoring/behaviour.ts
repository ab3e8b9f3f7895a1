import { addMonths, type BusinessDate, daysBetween } from '../time/business-date.js';

/** One invoice of a customer as the ledger shows it on the as-of date. */
export interface InvoiceHistory {
  readonly issueDate: BusinessDate;
  readonly dueDate: BusinessDate;
  readonly amountMinor: number;
  /** The date it was fully settled, if by the as-of date. */
  readonly settledOn: BusinessDate | null;
  readonly openMinor: number;
  readonly creditedMinor: number;
  readonly payments: number;
}

export interface BehaviourFeatures {
  readonly invoices: number;
  readonly monthsTrading: number;
  /** Of the invoices settled, the share settled after their due date. */
  readonly lateShare: number | null;
  /** Mean days past due at settlement (0 when on time). */
  readonly meanDaysLate: number | null;
  /** Mean days from invoice to settlement, whatever the terms: how long this customer takes to pay. */
  readonly meanDaysToPay: number | null;
  /** Mean days late in the last 6 months minus the 6 before: positive = getting worse. */
  readonly daysLateTrend: number | null;
  /** Of what is open, the share already past due. */
  readonly overdueShare: number | null;
  /** Credit notes and write-offs as a share of everything invoiced (disputes, quality claims). */
  readonly creditedShare: number;
  /** Of the invoices settled, the share paid in more than one payment. */
  readonly partialPaymentShare: number | null;
  /** Invoiced in the last 6 months ÷ the 6 before, minus 1: order growth (or shrinkage). */
  readonly growth: number | null;
}

const mean = (xs: readonly number[]) => (xs.length === 0 ? null : xs.reduce((s, x) => s + x, 0) / xs.length);
const round = (x: number | null) => (x === null ? null : Math.round(x * 10_000) / 10_000);

/**
 * Behavioural features from a customer's own ledger (A4, D4): how late they pay, whether it is
 * getting worse, how much is overdue, disputes and partial payments, and whether they are growing.
 * Uses only what was known on `asOf`, so the same code builds training rows from history.
 */
export function behaviourFeatures(history: readonly InvoiceHistory[], asOf: BusinessDate): BehaviourFeatures {
  const known = history.filter((i) => i.issueDate <= asOf);
  const settled = known.filter((i) => i.settledOn !== null && i.settledOn <= asOf);
  const daysLate = (i: InvoiceHistory) => Math.max(0, daysBetween(i.dueDate, i.settledOn as BusinessDate));
  const sixMonthsAgo = addMonths(asOf, -6);
  const yearAgo = addMonths(asOf, -12);
  const recent = settled.filter((i) => (i.settledOn as string) > sixMonthsAgo).map(daysLate);
  const before = settled
    .filter((i) => (i.settledOn as string) > yearAgo && (i.settledOn as string) <= sixMonthsAgo)
    .map(daysLate);
  const open = known.filter((i) => i.openMinor > 0);
  const openMinor = open.reduce((s, i) => s + i.openMinor, 0);
  const overdueMinor = open.filter((i) => i.dueDate < asOf).reduce((s, i) => s + i.openMinor, 0);
  const invoiced = known.reduce((s, i) => s + i.amountMinor, 0);
  const invoicedRecent = known
    .filter((i) => i.issueDate > sixMonthsAgo)
    .reduce((s, i) => s + i.amountMinor, 0);
  const invoicedBefore = known
    .filter((i) => i.issueDate > yearAgo && i.issueDate <= sixMonthsAgo)
    .reduce((s, i) => s + i.amountMinor, 0);
  const first = known.reduce<string | null>(
    (min, i) => (min === null || i.issueDate < min ? i.issueDate : min),
    null,
  );
  const recentMean = mean(recent);
  const beforeMean = mean(before);
  return {
    invoices: known.length,
    monthsTrading: first ? Math.floor(daysBetween(first as BusinessDate, asOf) / 30) : 0,
    lateShare: round(
      settled.length === 0 ? null : settled.filter((i) => daysLate(i) > 0).length / settled.length,
    ),
    meanDaysLate: round(mean(settled.map(daysLate))),
    meanDaysToPay: round(mean(settled.map((i) => daysBetween(i.issueDate, i.settledOn as BusinessDate)))),
    daysLateTrend: round(recentMean === null || beforeMean === null ? null : recentMean - beforeMean),
    overdueShare: round(openMinor === 0 ? null : overdueMinor / openMinor),
    creditedShare: round(invoiced === 0 ? 0 : known.reduce((s, i) => s + i.creditedMinor, 0) / invoiced) ?? 0,
    partialPaymentShare: round(
      settled.length === 0 ? null : settled.filter((i) => i.payments > 1).length / settled.length,
    ),
    growth: round(invoicedBefore === 0 ? null : invoicedRecent / invoicedBefore - 1),
  };
}
