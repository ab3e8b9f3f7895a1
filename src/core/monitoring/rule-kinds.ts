import { median } from '../statistics/quantile.js';
import { type CustomerHistory, daysPastDueOn, type HistoryInvoice, openOn } from './customer-history.js';

/**
 * Each kind of warning rule: when it fires for a customer as of a day, with the facts that made it
 * fire, and the days on which its answer can change. A kind reads only facts dated on or before the
 * day it is asked about; `changeDays` lets a replay skip the days in between without missing one.
 */
export interface RuleKind<P> {
  readonly defaults: P;
  /** The facts behind a firing, or null when the rule does not fire. */
  fires(history: CustomerHistory, day: number, params: P): Record<string, number> | null;
  /** Every day on which `fires` may answer differently from the day before. */
  changeDays(history: CustomerHistory, params: P): number[];
}

/** Days on which an invoice's open amount changes: its issue and each reduction. */
function balanceDays(invoice: HistoryInvoice): number[] {
  return [invoice.issueDay, ...invoice.reductions.map((r) => r.day)];
}

type Payment = {
  day: number;
  amountMinor: number;
  daysLate: number;
  invoice: CustomerHistory['invoices'][number];
};
// A history is never changed once built: its payments are listed once, however often rules ask.
const paymentsByHistory = new WeakMap<CustomerHistory, Payment[]>();

function paymentsOf(history: CustomerHistory): Payment[] {
  let payments = paymentsByHistory.get(history);
  if (!payments) {
    payments = history.invoices.flatMap((invoice) =>
      invoice.reductions
        .filter((r) => r.kind === 'payment')
        .map((r) => ({ day: r.day, amountMinor: r.amountMinor, daysLate: r.day - invoice.dueDay, invoice })),
    );
    paymentsByHistory.set(history, payments);
  }
  return payments;
}

/** Amount-weighted mean days late of payments in (from, to]; null with fewer than `min` of them. */
function meanDaysLate(payments: ReturnType<typeof paymentsOf>, from: number, to: number, min: number) {
  let weight = 0;
  let sum = 0;
  let count = 0;
  for (const p of payments)
    if (p.day > from && p.day <= to) {
      weight += p.amountMinor;
      sum += p.amountMinor * p.daysLate;
      count++;
    }
  return count >= min && weight > 0 ? { mean: sum / weight, count } : null;
}

/** An invoice still open this many days past its due date (the oldest one counts). */
const overdue: RuleKind<{ minDaysPastDue: number; minOverdueMinor: number }> = {
  defaults: { minDaysPastDue: 60, minOverdueMinor: 0 },
  fires(history, day, { minDaysPastDue, minOverdueMinor }) {
    let oldest = 0;
    let overdueMinor = 0;
    for (const invoice of history.invoices) {
      const dpd = daysPastDueOn(invoice, day);
      if (dpd >= minDaysPastDue) {
        oldest = Math.max(oldest, dpd);
        overdueMinor += openOn(invoice, day);
      }
    }
    return overdueMinor > 0 && overdueMinor >= minOverdueMinor ? { daysPastDue: oldest, overdueMinor } : null;
  },
  changeDays: (history, { minDaysPastDue }) =>
    history.invoices.flatMap((i) => [...balanceDays(i), i.dueDay + minDaysPastDue]),
};

/**
 * Most of what is open is old debt while the customer still pays: it pays the new and leaves the
 * old (a dispute, or a customer choosing whom to pay). A customer who pays nothing is the overdue
 * rule's case, not this one.
 */
const overdueShare: RuleKind<{ minShare: number; minDaysPastDue: number; paidWithinDays: number }> = {
  defaults: { minShare: 0.5, minDaysPastDue: 30, paidWithinDays: 30 },
  fires(history, day, { minShare, minDaysPastDue, paidWithinDays }) {
    let open = 0;
    let late = 0;
    let paying = false;
    for (const invoice of history.invoices) {
      const o = openOn(invoice, day);
      open += o;
      if (o > 0 && day - invoice.dueDay >= minDaysPastDue) late += o;
      paying ||= invoice.reductions.some(
        (r) => r.kind === 'payment' && r.day <= day && r.day > day - paidWithinDays,
      );
    }
    return paying && late > 0 && late / open >= minShare
      ? { overdueShare: late / open, overdueMinor: late }
      : null;
  },
  changeDays: (history, { minDaysPastDue, paidWithinDays }) => [
    ...history.invoices.flatMap((i) => [...balanceDays(i), i.dueDay + minDaysPastDue]),
    ...paymentsOf(history).map((p) => p.day + paidWithinDays),
  ],
};

/** Payments arrive later than they used to: recent mean days late against the customer's own past. */
const daysLateTrend: RuleKind<{
  recentDays: number;
  baseDays: number;
  minIncreaseDays: number;
  minPayments: number;
}> = {
  defaults: { recentDays: 90, baseDays: 365, minIncreaseDays: 10, minPayments: 2 },
  fires(history, day, { recentDays, baseDays, minIncreaseDays, minPayments }) {
    const payments = paymentsOf(history);
    const recent = meanDaysLate(payments, day - recentDays, day, minPayments);
    const base = meanDaysLate(payments, day - recentDays - baseDays, day - recentDays, minPayments);
    if (!recent || !base || recent.mean - base.mean < minIncreaseDays) return null;
    return {
      recentDaysLate: recent.mean,
      baseDaysLate: base.mean,
      increaseDays: recent.mean - base.mean,
      recentPayments: recent.count,
    };
  },
  changeDays: (history, { recentDays, baseDays }) =>
    paymentsOf(history).flatMap((p) => [p.day, p.day + recentDays, p.day + recentDays + baseDays]),
};

/** Invoices paid in pieces: a payment that left its invoice still open. */
const partialPayments: RuleKind<{ windowDays: number; minCount: number }> = {
  defaults: { windowDays: 90, minCount: 3 },
  fires(history, day, { windowDays, minCount }) {
    let count = 0;
    for (const invoice of history.invoices)
      for (const r of invoice.reductions)
        if (r.kind === 'payment' && r.day > day - windowDays && r.day <= day && openOn(invoice, r.day) > 0)
          count++;
    return count >= minCount ? { partialPayments: count } : null;
  },
  changeDays: (history, { windowDays }) => paymentsOf(history).flatMap((p) => [p.day, p.day + windowDays]),
};

/** Promises to pay that passed their date unpaid. */
const brokenPromises: RuleKind<{ windowDays: number; minCount: number; graceDays: number }> = {
  defaults: { windowDays: 180, minCount: 1, graceDays: 0 },
  fires(history, day, { windowDays, minCount, graceDays }) {
    let count = 0;
    for (const p of history.promises) {
      const brokenOn = p.promisedDay + graceDays + 1;
      const kept = p.keptDay !== null && p.keptDay < brokenOn;
      if (p.recordedDay <= day && !kept && brokenOn <= day && brokenOn > day - windowDays) count++;
    }
    return count >= minCount ? { brokenPromises: count } : null;
  },
  changeDays: (history, { windowDays, graceDays }) =>
    history.promises.flatMap((p) => [
      p.recordedDay,
      p.promisedDay + graceDays + 1,
      p.promisedDay + graceDays + 1 + windowDays,
    ]),
};

/** A purchase far above the customer's own usual size: the bust-out pattern. */
const orderSpike: RuleKind<{
  windowDays: number;
  multiple: number;
  historyDays: number;
  minHistory: number;
}> = {
  defaults: { windowDays: 30, multiple: 3, historyDays: 365, minHistory: 5 },
  fires(history, day, { windowDays, multiple, historyDays, minHistory }) {
    const recent = history.invoices.filter((i) => i.issueDay > day - windowDays && i.issueDay <= day);
    if (recent.length === 0) return null;
    const before = history.invoices
      .filter((i) => i.issueDay <= day - windowDays && i.issueDay > day - windowDays - historyDays)
      .map((i) => i.amountMinor);
    if (before.length < minHistory) return null;
    const usual = median(before) as number;
    const largest = Math.max(...recent.map((i) => i.amountMinor));
    return largest > multiple * usual
      ? { largestMinor: largest, usualMinor: usual, multiple: largest / usual }
      : null;
  },
  changeDays: (history, { windowDays, historyDays }) =>
    history.invoices.flatMap((i) => [
      i.issueDay,
      i.issueDay + windowDays,
      i.issueDay + windowDays + historyDays,
    ]),
};

/** Outside sources reported something this grave within the window (a court, a registry, a bureau, an insurer). */
const externalSignal: RuleKind<{ windowDays: number; minSeverity: number; minCount: number }> = {
  defaults: { windowDays: 180, minSeverity: 2, minCount: 1 },
  fires(history, day, { windowDays, minSeverity, minCount }) {
    let count = 0;
    let worst = -1;
    for (const s of history.signals ?? [])
      if (s.day <= day && s.day > day - windowDays && s.severityRank >= minSeverity) {
        count++;
        worst = Math.max(worst, s.severityRank);
      }
    return count >= minCount ? { signals: count, worstSeverity: worst } : null;
  },
  changeDays: (history, { windowDays }) =>
    (history.signals ?? []).flatMap((s) => [s.day, s.day + windowDays]),
};

export const RULE_KINDS = {
  overdue,
  overdue_share: overdueShare,
  days_late_trend: daysLateTrend,
  partial_payments: partialPayments,
  broken_promises: brokenPromises,
  order_spike: orderSpike,
  external_signal: externalSignal,
} as const;

export type RuleKindName = keyof typeof RULE_KINDS;

/** A kind looked up by name, its parameters as checked numbers. */
export function ruleKind(name: RuleKindName): RuleKind<Record<string, number>> {
  return RULE_KINDS[name] as unknown as RuleKind<Record<string, number>>;
}
