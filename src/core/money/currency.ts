import { DomainError } from '../errors.js';

/** An ISO 4217 currency code known to the runtime's ICU data, e.g. `CNY`. */
export type CurrencyCode = string & { readonly __currency: unique symbol };

// ICU ships the ISO 4217 list and each currency's minor-unit digits: no hand-kept table to drift.
const KNOWN = new Set(Intl.supportedValuesOf('currency'));
const digitsCache = new Map<string, number>();

export function isCurrencyCode(value: string): value is CurrencyCode {
  return /^[A-Z]{3}$/.test(value) && KNOWN.has(value);
}

export function parseCurrency(value: string, field: string): CurrencyCode {
  if (!isCurrencyCode(value)) {
    throw new DomainError(
      'invalid_currency',
      `${field} must be an ISO 4217 code such as CNY, got "${value}"`,
      field,
    );
  }
  return value;
}

/** Digits after the decimal point in the currency's minor unit: CNY 2, JPY 0, KWD 3. */
export function minorDigits(currency: CurrencyCode): number {
  let digits = digitsCache.get(currency);
  if (digits === undefined) {
    digits =
      new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ??
      2;
    digitsCache.set(currency, digits);
  }
  return digits;
}
