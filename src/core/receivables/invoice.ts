import { requireText } from '../customers/customer.js';
import { DomainError } from '../errors.js';
import { type CurrencyCode, parseCurrency } from '../money/currency.js';
import { type BusinessDate, daysBetween, parseBusinessDate } from '../time/business-date.js';

export interface InvoiceInput {
  readonly externalId: string;
  readonly invoiceNumber: string;
  readonly issueDate: string;
  readonly dueDate: string;
  readonly amountMinor: number;
  readonly currency: string;
}

export interface ValidInvoice {
  readonly externalId: string;
  readonly invoiceNumber: string;
  readonly issueDate: BusinessDate;
  readonly dueDate: BusinessDate;
  readonly amountMinor: number;
  readonly currency: CurrencyCode;
}

/** Payment terms longer than this are a data-entry error, not a trade term. */
export const MAX_TERMS_DAYS = 730;

export function requirePositiveMinor(amountMinor: number, field: string): number {
  if (!(Number.isSafeInteger(amountMinor) && amountMinor > 0)) {
    throw new DomainError('invalid_amount', `${field} must be a positive whole number of minor units`, field);
  }
  return amountMinor;
}

export function validateInvoice(input: InvoiceInput): ValidInvoice {
  const issueDate = parseBusinessDate(input.issueDate, 'issueDate');
  const dueDate = parseBusinessDate(input.dueDate, 'dueDate');
  const terms = daysBetween(issueDate, dueDate);
  if (terms < 0) throw new DomainError('due_before_issue', 'dueDate must not be before issueDate', 'dueDate');
  if (terms > MAX_TERMS_DAYS) {
    throw new DomainError(
      'terms_too_long',
      `dueDate is ${terms} days after issueDate (at most ${MAX_TERMS_DAYS})`,
      'dueDate',
    );
  }
  return {
    externalId: requireText(input.externalId, 'externalId', 100),
    invoiceNumber: requireText(input.invoiceNumber, 'invoiceNumber', 100),
    issueDate,
    dueDate,
    amountMinor: requirePositiveMinor(input.amountMinor, 'amountMinor'),
    currency: parseCurrency(input.currency, 'currency'),
  };
}
