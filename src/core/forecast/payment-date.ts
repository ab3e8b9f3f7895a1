import { type CustomerHistory, type HistoryInvoice, openOn } from '../monitoring/customer-history.js';
import { quantile } from '../statistics/quantile.js';

/** A customer's own history is used from this many paid invoices on; before, the book's. */
const MIN_OWN = 3;
/** The customer's most recent paid invoices that describe how it pays now. */
const RECENT_OWN = 12;
/** The book's most recent paid invoices that stand in for a customer without its own. */
export const RECENT_BOOK = 2_000;
/** Past anything ever seen for it, an unpaid invoice is expected a month out. */
const BEYOND_HISTORY_DAYS = 30;

/** The day an invoice was paid off as of `day` (its last payment), or null: open, or closed by a write-off. */
export function paidOffDay(invoice: HistoryInvoice, day: number): number | null {
  if (invoice.issueDay > day || openOn(invoice, day) > 0) return null;
  let last: number | null = null;
  for (const r of invoice.reductions) {
    if (r.day > day) break;
    if (r.kind === 'write_off') return null;
    last = r.day;
  }
  return last;
}

/** Days late (negative: early) of a customer's last paid invoices known on `day`, latest first. */
export function ownDaysLate(history: CustomerHistory, day: number): number[] {
  const paid: { on: number; late: number }[] = [];
  for (const invoice of history.invoices) {
    const on = paidOffDay(invoice, day);
    if (on !== null) paid.push({ on, late: on - invoice.dueDay });
  }
  return paid
    .sort((a, b) => b.on - a.on)
    .slice(0, RECENT_OWN)
    .map((p) => p.late);
}

/** The book's paid invoices as (paid-off day, days late), in paid-off order: the pooled fallback. */
export function bookLateness(
  histories: readonly CustomerHistory[],
  day: number,
): { on: number; late: number }[] {
  const paid: { on: number; late: number }[] = [];
  for (const h of histories)
    for (const invoice of h.invoices) {
      const on = paidOffDay(invoice, day);
      if (on !== null) paid.push({ on, late: on - invoice.dueDay });
    }
  return paid.sort((a, b) => a.on - b.on);
}

/** The book's last RECENT_BOOK days late known on `day`, from a list in paid-off order. */
export function pooledAsOf(book: readonly { on: number; late: number }[], day: number): number[] {
  // The first entry paid off after `day`, by bisection.
  let lo = 0;
  let hi = book.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((book[mid] as { on: number }).on <= day) lo = mid + 1;
    else hi = mid;
  }
  const end = lo;
  return book.slice(Math.max(0, end - RECENT_BOOK), end).map((p) => p.late);
}

export interface PaymentForecast {
  readonly expectedDay: number;
  /** The 20th and 80th percentile of when it may be paid. */
  readonly earliestDay: number;
  readonly latestDay: number;
  readonly basis: 'customer' | 'book' | 'beyond_history';
}

/**
 * When an open invoice will be paid, as of the end of `day` (D4): from how late the customer paid
 * its recent invoices (the book's when it has fewer than three), counting only the lateness the
 * invoice has not already passed — an invoice 40 days overdue is not paid 10 days late.
 */
export function forecastPayment(
  invoice: HistoryInvoice,
  own: readonly number[],
  pooled: readonly number[],
  day: number,
): PaymentForecast {
  const passed = day - invoice.dueDay;
  const usable = (lateness: readonly number[]) => lateness.filter((l) => l > passed);
  let basis: PaymentForecast['basis'] = own.length >= MIN_OWN ? 'customer' : 'book';
  let ahead = usable(basis === 'customer' ? own : pooled);
  if (ahead.length === 0 && basis === 'customer') {
    basis = 'book';
    ahead = usable(pooled);
  }
  if (ahead.length === 0) {
    const expected = day + BEYOND_HISTORY_DAYS;
    return {
      expectedDay: expected,
      earliestDay: day + 1,
      latestDay: expected + BEYOND_HISTORY_DAYS,
      basis: 'beyond_history',
    };
  }
  const at = (q: number) => Math.max(day + 1, invoice.dueDay + Math.round(quantile(ahead, q) as number));
  return { expectedDay: at(0.5), earliestDay: at(0.2), latestDay: at(0.8), basis };
}

/** The usual yardstick: the due date plus the customer's mean days late (the due date without history). */
export function naiveForecast(invoice: HistoryInvoice, own: readonly number[]): number {
  const mean = own.length === 0 ? 0 : own.reduce((s, l) => s + l, 0) / own.length;
  return invoice.dueDay + Math.round(mean);
}

export interface ForecastBacktest {
  readonly invoices: number;
  readonly model: { readonly meanAbsoluteErrorDays: number | null; readonly within7DaysShare: number | null };
  readonly naive: { readonly meanAbsoluteErrorDays: number | null; readonly within7DaysShare: number | null };
}

const errorsOf = (errors: readonly number[]) =>
  errors.length === 0
    ? { meanAbsoluteErrorDays: null, within7DaysShare: null }
    : {
        meanAbsoluteErrorDays:
          Math.round((errors.reduce((s, e) => s + Math.abs(e), 0) / errors.length) * 100) / 100,
        within7DaysShare:
          Math.round((errors.filter((e) => Math.abs(e) <= 7).length / errors.length) * 10_000) / 10_000,
      };

/**
 * The forecast's error against what happened: every invoice paid off between the two days,
 * forecast as of the day it was issued (when a cash forecast first counts it) from what was known
 * then, beside the naive forecast from the same knowledge.
 */
export function backtestForecast(
  histories: readonly CustomerHistory[],
  fromDay: number,
  toDay: number,
): ForecastBacktest {
  const book = bookLateness(histories, toDay);
  const model: number[] = [];
  const naive: number[] = [];
  for (const h of histories)
    for (const invoice of h.invoices) {
      const paidOn = paidOffDay(invoice, toDay);
      if (paidOn === null || paidOn < fromDay) continue;
      const asOf = invoice.issueDay;
      const own = ownDaysLate(h, asOf);
      model.push(forecastPayment(invoice, own, pooledAsOf(book, asOf), asOf).expectedDay - paidOn);
      naive.push(naiveForecast(invoice, own) - paidOn);
    }
  return { invoices: model.length, model: errorsOf(model), naive: errorsOf(naive) };
}

/** Expected cash-in per week from the forecasts: week k is the days (day + 7k, day + 7k + 7]. */
export function cashInByWeek(
  forecasts: readonly { readonly expectedDay: number; readonly openMinor: number }[],
  day: number,
  weeks: number,
): number[] {
  const byWeek = new Array<number>(weeks).fill(0);
  for (const f of forecasts) {
    const week = Math.floor((f.expectedDay - day - 1) / 7);
    if (week >= 0 && week < weeks) byWeek[week] = (byWeek[week] as number) + f.openMinor;
  }
  return byWeek;
}
