import type { CurrencyCode } from '../money/currency.js';
import { convert, type FxRate } from '../money/fx.js';
import { assertMinor, money } from '../money/money.js';

/** One currency's share of a customer's exposure, as the store keeps it. */
export interface ExposureBalance {
  readonly currency: CurrencyCode;
  readonly receivablesMinor: number;
  readonly openOrdersMinor: number;
  readonly shippedMinor: number;
}

export interface Exposure {
  readonly currency: CurrencyCode;
  readonly receivablesMinor: number;
  readonly openOrdersMinor: number;
  readonly shippedMinor: number;
  readonly totalMinor: number;
  /** Currencies that could not be converted for lack of a rate (their amounts are left out). */
  readonly missingRates: CurrencyCode[];
}

export type RateLookup = (from: CurrencyCode, to: CurrencyCode) => FxRate | null;

/**
 * Exposure = open receivables + accepted open orders + shipped-not-invoiced, each currency
 * converted into `currency` at the day's rate (half-even), summed over any number of customers
 * (one customer, or a group's members).
 */
export function exposureIn(
  currency: CurrencyCode,
  balances: readonly ExposureBalance[],
  rateFor: RateLookup,
): Exposure {
  let receivablesMinor = 0;
  let openOrdersMinor = 0;
  let shippedMinor = 0;
  const missingRates: CurrencyCode[] = [];
  for (const b of balances) {
    const rate = b.currency === currency ? null : rateFor(b.currency, currency);
    if (b.currency !== currency && !rate) {
      if (!missingRates.includes(b.currency)) missingRates.push(b.currency);
      continue;
    }
    const inTarget = (amountMinor: number) =>
      rate ? convert(money(amountMinor, b.currency), currency, rate, 'half_even').amountMinor : amountMinor;
    receivablesMinor = assertMinor(receivablesMinor + inTarget(b.receivablesMinor));
    openOrdersMinor = assertMinor(openOrdersMinor + inTarget(b.openOrdersMinor));
    shippedMinor = assertMinor(shippedMinor + inTarget(b.shippedMinor));
  }
  return {
    currency,
    receivablesMinor,
    openOrdersMinor,
    shippedMinor,
    totalMinor: assertMinor(receivablesMinor + openOrdersMinor + shippedMinor),
    missingRates,
  };
}
