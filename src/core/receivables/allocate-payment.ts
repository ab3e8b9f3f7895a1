import { DomainError, invariant } from '../errors.js';
import { assertMinor } from '../money/money.js';
import type { BusinessDate } from '../time/business-date.js';

export interface OpenInvoice {
  readonly invoiceId: string;
  readonly issueDate: BusinessDate;
  readonly dueDate: BusinessDate;
  readonly openMinor: number;
}

export interface PaymentAllocation {
  readonly invoiceId: string;
  readonly amountMinor: number;
}

export interface PaymentAllocationResult {
  readonly allocations: PaymentAllocation[];
  /** What is left on account, to apply later. */
  readonly unappliedMinor: number;
}

/** Oldest due first; same due date → oldest issued; then by id, so the order is total. */
export function compareOldestFirst(a: OpenInvoice, b: OpenInvoice): number {
  if (a.dueDate !== b.dueDate) return a.dueDate < b.dueDate ? -1 : 1;
  if (a.issueDate !== b.issueDate) return a.issueDate < b.issueDate ? -1 : 1;
  return a.invoiceId < b.invoiceId ? -1 : a.invoiceId > b.invoiceId ? 1 : 0;
}

/**
 * Applies a payment to open invoices. With `invoiceId` it settles that invoice only, up to its
 * open amount; without, oldest-first. Whatever is not applied stays on account (unapplied):
 * money is never created or lost — Σ allocations + unapplied = payment.
 */
export function allocatePayment(
  paymentMinor: number,
  openInvoices: readonly OpenInvoice[],
  invoiceId?: string,
): PaymentAllocationResult {
  if (!(Number.isSafeInteger(paymentMinor) && paymentMinor > 0)) {
    throw new DomainError(
      'invalid_amount',
      'payment amount must be a positive whole number of minor units',
      'amountMinor',
    );
  }
  const targets =
    invoiceId === undefined
      ? [...openInvoices].sort(compareOldestFirst)
      : openInvoices.filter((invoice) => invoice.invoiceId === invoiceId);
  const allocations: PaymentAllocation[] = [];
  let left = paymentMinor;
  for (const invoice of targets) {
    if (left === 0) break;
    invariant(invoice.openMinor >= 0, `invoice ${invoice.invoiceId} has a negative open amount`);
    const applied = Math.min(left, invoice.openMinor);
    if (applied === 0) continue;
    allocations.push({ invoiceId: invoice.invoiceId, amountMinor: applied });
    left = assertMinor(left - applied);
  }
  return { allocations, unappliedMinor: left };
}
