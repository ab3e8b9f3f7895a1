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

/** The invoices open at `monthEnd`, each with what became of it by `horizonEnd` (loss-rate cohort). */
export function cohortAt(
  histories: readonly ReceivableHistory[],
  monthEnd: BusinessDate,
  horizonEnd: BusinessDate,
): CohortItem[] {
  const items: CohortItem[] = [];
  for (const h of histories) {
    const openMinor = openOn(h, monthEnd);
    if (openMinor <= 0) continue;
    items.push({
      dueDate: h.dueDate,
      openMinor,
      writtenOffMinor: writtenOffBetween(h, monthEnd, horizonEnd),
      openAtHorizonMinor: openOn(h, horizonEnd),
    });
  }
  return items;
}
