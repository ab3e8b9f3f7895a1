import { invariant } from '../errors.js';
import type { CurrencyCode } from './currency.js';

/** An amount in integer minor units (fen, cents) of one currency. Never a float. */
export interface Money {
  readonly amountMinor: number;
  readonly currency: CurrencyCode;
}

/** Every operation re-checks this: 9e15 minor units is far above any real exposure. */
export function assertMinor(amountMinor: number): number {
  invariant(Number.isSafeInteger(amountMinor), `amount ${amountMinor} is not a safe integer of minor units`);
  return amountMinor;
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
