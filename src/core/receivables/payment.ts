import { requireText } from '../customers/customer.js';
import { type CurrencyCode, parseCurrency } from '../money/currency.js';
import { type BusinessDate, parseBusinessDate } from '../time/business-date.js';
import { requirePositiveMinor } from './invoice.js';

export interface PaymentInput {
  readonly externalId: string;
  readonly paidOn: string;
  readonly amountMinor: number;
  readonly currency: string;
}

export interface ValidPayment {
  readonly externalId: string;
  readonly paidOn: BusinessDate;
  readonly amountMinor: number;
  readonly currency: CurrencyCode;
}

export function validatePayment(input: PaymentInput): ValidPayment {
  return {
    externalId: requireText(input.externalId, 'externalId', 100),
    paidOn: parseBusinessDate(input.paidOn, 'paidOn'),
    amountMinor: requirePositiveMinor(input.amountMinor, 'amountMinor'),
    currency: parseCurrency(input.currency, 'currency'),
  };
}
