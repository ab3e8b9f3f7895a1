/**
 * What the book knew of one customer, fact by fact, each dated in epoch days. Amounts are minor
 * units of one report currency. Warning rules and the default test read a history only up to an
 * as-of day, so the same code serves the daily job (as of today) and the back-test (as of each
 * past day).
 */
export interface HistoryInvoice {
  /** The stored invoice's id, when the history was read from a book. */
  readonly id?: string;
  readonly issueDay: number;
  readonly dueDay: number;
  readonly amountMinor: number;
  /** Payments applied and credit notes issued against it, in day order. */
  readonly reductions: readonly {
    readonly day: number;
    readonly amountMinor: number;
    readonly kind: Reduction;
  }[];
}

/** How an invoice's open amount went down: a payment applied, a credit note, or a write-off. */
export type Reduction = 'payment' | 'credit' | 'write_off';

export interface HistoryPromise {
  readonly recordedDay: number;
  readonly promisedDay: number;
  readonly amountMinor: number;
  /** The day it was kept (paid in full), null while it was not. */
  readonly keptDay: number | null;
}

/** What an outside source reported (A7), dated by when it happened; severity as a rank (0 low … 3 critical). */
export interface HistorySignal {
  readonly day: number;
  readonly severityRank: number;
}

export interface CustomerHistory {
  readonly customerId: string;
  readonly invoices: readonly HistoryInvoice[];
  readonly promises: readonly HistoryPromise[];
  readonly signals?: readonly HistorySignal[];
}

/** The invoice's open amount at the end of `day`: nothing issued later, nothing applied later. */
export function openOn(invoice: HistoryInvoice, day: number): number {
  if (invoice.issueDay > day) return 0;
  let open = invoice.amountMinor;
  for (const r of invoice.reductions) if (r.day <= day) open -= r.amountMinor;
  return Math.max(0, open);
}

/** Days past due at the end of `day` (0 when not yet due or no longer open). */
export function daysPastDueOn(invoice: HistoryInvoice, day: number): number {
  return openOn(invoice, day) > 0 ? Math.max(0, day - invoice.dueDay) : 0;
}

/** The history as it stood at the end of `day`: what a rule may see then, and nothing later. */
export function historyAsOf(history: CustomerHistory, day: number): CustomerHistory {
  return {
    customerId: history.customerId,
    invoices: history.invoices
      .filter((i) => i.issueDay <= day)
      .map((i) => ({ ...i, reductions: i.reductions.filter((r) => r.day <= day) })),
    promises: history.promises
      .filter((p) => p.recordedDay <= day)
      .map((p) => ({ ...p, keptDay: p.keptDay !== null && p.keptDay <= day ? p.keptDay : null })),
    signals: (history.signals ?? []).filter((s) => s.day <= day),
  };
}
