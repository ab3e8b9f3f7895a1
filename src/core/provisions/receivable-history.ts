import type { BusinessDate } from '../time/business-date.js';
import type { CohortItem } from './provision-matrix.js';

/**
 * One invoice's life as far as a reserve needs it, in its own currency; `rate` turns its amounts
 * into the report currency (so settling in full leaves exactly nothing open, whatever the rate).
 */
export interface ReceivableHistory {
  readonly invoiceId: string;
  readonly customerId: string;
  readonly issueDate: BusinessDate;
  readonly dueDate: BusinessDate;
  readonly amountMinor: number;
  /** Payments applied and credit notes, in date order; write-offs flagged. */
  readonly reductions: readonly { on: BusinessDate; amountMinor: number; writeOff: boolean }[];
  /** The day the reductions brought it to nothing, or null while open (see `settledOn`). */
  readonly settledOn: BusinessDate | null;
  /** Minor units of the report currency per minor unit of the invoice's (1: the same currency). */
  readonly rate: number;
}

const inReport = (h: ReceivableHistory, minor: number) => (h.rate === 1 ? minor : Math.round(minor * h.rate));

/** What was open on `day` (0 before the invoice was issued). */
export function openOn(h: ReceivableHistory, day: BusinessDate): number {
  if (h.issueDate > day || (h.settledOn !== null && h.settledOn <= day)) return 0;
  let open = h.amountMinor;
  for (const r of h.reductions) {
    if (r.on > day) break;
    open -= r.amountMinor;
  }
  return open > 0 ? inReport(h, open) : 0;
}

/** Written off after `after`, up to and including `upTo`. */
export function writtenOffBetween(h: ReceivableHistory, after: BusinessDate, upTo: BusinessDate): number {
  let sum = 0;
  for (const r of h.reductions) if (r.writeOff && r.on > after && r.on <= upTo) sum += r.amountMinor;
  return inReport(h, sum);
}

/** The day the reductions first brought an invoice to nothing, or null while it stays open. */
export function settledOn(h: Pick<ReceivableHistory, 'amountMinor' | 'reductions'>): BusinessDate | null {
  let open = h.amountMinor;
  for (const r of h.reductions) {
    open -= r.amountMinor;
    if (open <= 0) return r.on;
  }
  return null;
}

/** The index of the first of the sorted `days` on or after `day` (`days.length` when none is). */
export function firstOnOrAfter(days: readonly BusinessDate[], day: BusinessDate): number {
  let lo = 0;
  let hi = days.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((days[mid] as BusinessDate) < day) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The invoices open at each month-end (sorted ascending), each with what became of it by that
 * month-end's horizon end (the loss-rate cohorts). One pass over the book: an invoice is looked at
 * only at the month-ends between its issue and its settlement.
 */
export function cohortsAt(
  histories: readonly ReceivableHistory[],
  monthEnds: readonly { monthEnd: BusinessDate; horizonEnd: BusinessDate }[],
): CohortItem[][] {
  const days = monthEnds.map((c) => c.monthEnd);
  const items: CohortItem[][] = monthEnds.map(() => []);
  for (const h of histories)
    for (let i = firstOnOrAfter(days, h.issueDate); i < days.length; i++) {
      const { monthEnd, horizonEnd } = monthEnds[i] as { monthEnd: BusinessDate; horizonEnd: BusinessDate };
      if (h.settledOn !== null && h.settledOn <= monthEnd) break;
      const openMinor = openOn(h, monthEnd);
      if (openMinor <= 0) continue;
      (items[i] as CohortItem[]).push({
        dueDate: h.dueDate,
        openMinor,
        writtenOffMinor: writtenOffBetween(h, monthEnd, horizonEnd),
        openAtHorizonMinor: openOn(h, horizonEnd),
      });
    }
  return items;
}
