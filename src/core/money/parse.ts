import { DomainError } from '../errors.js';
import { type CurrencyCode, minorDigits } from './currency.js';
import { assertMinor } from './money.js';

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

/**
 * "1234.56" in major units → 123456 minor units, exactly (no float on the way).
 * More decimals than the currency has is an error, not a silent rounding.
 */
export function parseMajorAmount(text: string, currency: CurrencyCode, field: string): number {
  const match = DECIMAL.exec(text.trim());
  if (!match) {
    throw new DomainError(
      'invalid_amount',
      `${field} must be a decimal number like 1234.56, got "${text}"`,
      field,
    );
  }
  const [, sign, whole = '', fraction = ''] = match;
  const digits = minorDigits(currency);
  if (fraction.length > digits) {
    throw new DomainError(
      'invalid_amount',
      `${field} has ${fraction.length} decimals but ${currency} has ${digits}, got "${text}"`,
      field,
    );
  }
  const minor = BigInt(whole + fraction.padEnd(digits, '0')) * (sign === '-' ? -1n : 1n);
  if (minor > BigInt(Number.MAX_SAFE_INTEGER) || minor < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new DomainError('invalid_amount', `${field} is too large: "${text}"`, field);
  }
  return assertMinor(Number(minor));
}

/** 123456 minor units of CNY → "1234.56". */
export function formatMajorAmount(amountMinor: number, currency: CurrencyCode): string {
  const digits = minorDigits(currency);
  const negative = assertMinor(amountMinor) < 0;
  const text = String(Math.abs(amountMinor)).padStart(digits + 1, '0');
  const whole = digits === 0 ? text : text.slice(0, -digits);
  const fraction = digits === 0 ? '' : `.${text.slice(-digits)}`;
  return `${negative ? '-' : ''}${whole}${fraction}`;
}

/** 123456789 minor units of CNY → "1,234,567.89": for people (reports), thousands grouped as en and zh-CN both write them. */
export function formatGroupedAmount(amountMinor: number, currency: CurrencyCode): string {
  const [whole = '', fraction] = formatMajorAmount(amountMinor, currency).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+$)/g, ',');
  return fraction === undefined ? grouped : `${grouped}.${fraction}`;
}
