import { type HistoryInvoice, openOn } from '../monitoring/customer-history.js';
import { monthEnd, toEpochDay } from '../time/business-date.js';

/** Months since 1970-01 of an epoch day. */
export function monthIndexOf(day: number): number {
  const date = new Date(day * 86_400_000);
  return (date.getUTCFullYear() - 1970) * 12 + date.getUTCMonth();
}

const monthEnds = new Map<number, number>();

/** The epoch day of a month's last day (a few hundred months in all: each worked out once). */
function monthEndDay(month: number): number {
  let day = monthEnds.get(month);
  if (day === undefined) {
    const y = 1970 + Math.floor(month / 12);
    const m = (month % 12) + 1;
    day = toEpochDay(monthEnd(`${y}-${String(m).padStart(2, '0')}`));
    monthEnds.set(month, day);
  }
  return day;
}

/** How a sale weighed on the book until `asOfDay`: Σ open × days, and its open amount at each month-end. */
export interface ExposurePath {
  readonly openMinorDays: number;
  readonly firstMonthEnd: number;
  readonly openAtMonthEnds: readonly number[];
}

/** The path of an invoice as history wrote it (its payments, credit notes and write-offs). */
export function invoicePath(invoice: HistoryInvoice, asOfDay: number): ExposurePath {
  let open = invoice.amountMinor;
  let from = invoice.issueDay;
  let minorDays = 0;
  for (const r of invoice.reductions) {
    if (r.day > asOfDay) break;
    const day = Math.max(r.day, from);
    minorDays += open * (day - from);
    open -= r.amountMinor;
    from = day;
    if (open <= 0) break;
  }
  if (open > 0) minorDays += open * (asOfDay - from);
  const first = monthIndexOf(invoice.issueDay);
  const openAtMonthEnds: number[] = [];
  for (let m = first; ; m++) {
    const end = monthEndDay(m);
    if (end > asOfDay) break;
    const at = openOn(invoice, end);
    if (at <= 0) break;
    openAtMonthEnds.push(at);
  }
  return { openMinorDays: Math.max(0, minorDays), firstMonthEnd: first, openAtMonthEnds };
}

/** The path of a sale history never made: open in full for `days`, then paid. */
export function assumedPath(amountMinor: number, day: number, days: number, asOfDay: number): ExposurePath {
  const until = Math.min(asOfDay, day + Math.max(0, Math.round(days)));
  return invoicePath(
    {
      issueDay: day,
      dueDay: until,
      amountMinor,
      reductions: [{ day: until, amountMinor, kind: 'payment' }],
    },
    asOfDay,
  );
}

/** The invoice as it would have been had every payment come `days` later (a stress on liquidity). */
export function delayedPayments(invoice: HistoryInvoice, days: number): HistoryInvoice {
  if (days === 0) return invoice;
  return {
    ...invoice,
    reductions: invoice.reductions
      .map((r) => (r.kind === 'payment' ? { ...r, day: r.day + days } : r))
      .sort((a, b) => a.day - b.day),
  };
}
