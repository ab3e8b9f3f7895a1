import type { BusinessDate } from '../time/business-date.js';

/**
 * One invoice's life as far as a reserve needs it, in its own currency; `rate` turns its amounts
 * into the report currency (so settling in full leaves exactly nothing open, whatever the rate).
 */
export interface ReceivableHistory {
  readonly invoiceId: string;
  readonly customerId: string;
  /** The invoice's currency: what `rate` converts from, and what month-end totals are kept in. */
  readonly currency: string;
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

/** What was open on `day` in the invoice's own currency (0 before it was issued). */
export function ownOpenOn(h: ReceivableHistory, day: BusinessDate): number {
  if (h.issueDate > day || (h.settledOn !== null && h.settledOn <= day)) return 0;
  let open = h.amountMinor;
  for (const r of h.reductions) {
    if (r.on > day) break;
    open -= r.amountMinor;
  }
  return Math.max(open, 0);
}

/** What was open on `day`, in the report currency. */
export const openOn = (h: ReceivableHistory, day: BusinessDate): number => inReport(h, ownOpenOn(h, day));

/** Written off after `after`, up to and including `upTo`, in the invoice's own currency. */
export function ownWrittenOffBetween(h: ReceivableHistory, after: BusinessDate, upTo: BusinessDate): number {
  let sum = 0;
  for (const r of h.reductions) if (r.writeOff && r.on > after && r.on <= upTo) sum += r.amountMinor;
  return sum;
}

/** Written off after `after`, up to and including `upTo`, in the report currency. */
export const writtenOffBetween = (h: ReceivableHistory, after: BusinessDate, upTo: BusinessDate): number =>
  inReport(h, ownWrittenOffBetween(h, after, upTo));

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
