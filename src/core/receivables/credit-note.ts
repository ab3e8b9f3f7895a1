import { requireText } from '../customers/customer.js';
import { DomainError } from '../errors.js';
import { type BusinessDate, parseBusinessDate } from '../time/business-date.js';
import { requirePositiveMinor } from './invoice.js';

/**
 * A reduction of an invoice that is not a payment. A write-off is the same reversing entry with
 * kind `write_off` (bad debt), so the invoice itself is never edited and the loss stays visible.
 */
export const SETTLEMENT_KINDS = ['credit_note', 'write_off'] as const;
export type SettlementKind = (typeof SETTLEMENT_KINDS)[number];

export interface CreditNoteInput {
  readonly externalId: string;
  readonly issuedOn: string;
  readonly amountMinor: number;
  readonly reason: string;
}

export interface ValidCreditNote {
  readonly externalId: string;
  readonly issuedOn: BusinessDate;
  readonly amountMinor: number;
  readonly reason: string;
}

export function validateCreditNote(input: CreditNoteInput): ValidCreditNote {
  return {
    externalId: requireText(input.externalId, 'externalId', 100),
    issuedOn: parseBusinessDate(input.issuedOn, 'issuedOn'),
    amountMinor: requirePositiveMinor(input.amountMinor, 'amountMinor'),
    reason: requireText(input.reason, 'reason', 500),
  };
}

/** A settlement may not be dated before the invoice it settles. */
export function assertNotBeforeIssue(date: BusinessDate, issueDate: BusinessDate, field: string): void {
  if (date < issueDate) {
    throw new DomainError(
      'before_invoice_issue',
      `${field} ${date} is before the invoice's issue date ${issueDate}`,
      field,
    );
  }
}
