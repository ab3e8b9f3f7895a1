import { DomainError, invariant } from '../errors.js';
import { assertMinor, sumMinor } from '../money/money.js';

/**
 * An invoice's open amount = amount − applied payments − credit notes (write-offs are credit
 * notes of kind `write_off`). It is never negative: a settlement that would overshoot is refused
 * before it is written, so reaching a negative here is a bug.
 */
export function openAmountMinor(
  invoiceAmountMinor: number,
  allocationsMinor: readonly number[],
  creditNotesMinor: readonly number[],
): number {
  const open = assertMinor(invoiceAmountMinor - sumMinor(allocationsMinor) - sumMinor(creditNotesMinor));
  invariant(open >= 0, `open amount ${open} is negative`);
  invariant(open <= invoiceAmountMinor, `open amount ${open} exceeds the invoice amount`);
  return open;
}

/** Checks that a credit note or write-off fits inside what is still open on the invoice. */
export function assertSettlementFits(amountMinor: number, openMinor: number, field: string): void {
  if (!(Number.isSafeInteger(amountMinor) && amountMinor > 0)) {
    throw new DomainError('invalid_amount', `${field} must be a positive whole number of minor units`, field);
  }
  if (amountMinor > openMinor) {
    throw new DomainError(
      'exceeds_open_amount',
      `${field} ${amountMinor} exceeds the invoice's open amount ${openMinor}`,
      field,
    );
  }
}
