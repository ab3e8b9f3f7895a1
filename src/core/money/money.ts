import { DomainError, invariant } from '../errors.js';
import type { CurrencyCode } from './currency.js';

/** An amount in integer minor units (fen, cents) of one currency. Never a float. */
export interface Money {
  readonly amountMinor: number;
  readonly currency: CurrencyCode;
}

/**
 * Every operation re-checks this. A fraction is a bug; a whole number past 2^53 − 1 (9e15 minor
 * units, far above any real exposure) comes from input — an absurd amount, a sum of them, or an
 * absurd exchange rate — and is refused as such, not as a failure of the server.
 */
export function assertMinor(amountMinor: number): number {
  if (Number.isSafeInteger(amountMinor)) return amountMinor;
  if (Number.isInteger(amountMinor) || !Number.isFinite(amountMinor))
    throw new DomainError(
      'amount_out_of_range',
      `an amount of ${amountMinor} minor units is beyond what can be held exactly (±${Number.MAX_SAFE_INTEGER})`,
    );
  throw new Error(`invariant violated: amount ${amountMinor} is not a whole number of minor units`);
}

export function money(amountMinor: number, currency: CurrencyCode): Money {
  return { amountMinor: assertMinor(amountMinor), currency };
}

function assertSameCurrency(a: Money, b: Money): void {
  invariant(
    a.currency === b.currency,
    `cannot combine ${a.currency} with ${b.currency} without FX conversion`,
  );
}

export function add(a: Money, b: Money): Money {
  assertSameCurrency(a, b);
  return money(a.amountMinor + b.amountMinor, a.currency);
}

export function subtract(a: Money, b: Money): Money {
  assertSameCurrency(a, b);
  return money(a.amountMinor - b.amountMinor, a.currency);
}

export function sumMinor(amountsMinor: readonly number[]): number {
  let total = 0;
  for (const amount of amountsMinor) total = assertMinor(total + assertMinor(amount));
  return total;
}
