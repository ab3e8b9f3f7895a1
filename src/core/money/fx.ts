import { DomainError, invariant } from '../errors.js';
import { type CurrencyCode, minorDigits } from './currency.js';
import { type Money, money } from './money.js';
import { divideRounded, type RoundingMode } from './rounding.js';

/** Units of `quote` for one unit of `base`: base USD, quote CNY, rate 7.1234. */
export interface FxRate {
  readonly base: CurrencyCode;
  readonly quote: CurrencyCode;
  readonly rate: number;
}

// A rate is held to 10 decimals as a scaled integer so the product with an amount is exact.
const RATE_SCALE = 10_000_000_000n;

/** Rates outside this range are typing errors, and past its ends the 10 decimals stop being exact. */
export const MIN_FX_RATE = 1e-8;
export const MAX_FX_RATE = 1e8;

function scaledRate(rate: number): bigint {
  if (!(Number.isFinite(rate) && rate >= MIN_FX_RATE && rate <= MAX_FX_RATE))
    throw new DomainError(
      'invalid_fx_rate',
      `FX rate must be between ${MIN_FX_RATE} and ${MAX_FX_RATE}, got ${rate}`,
      'rate',
    );
  return BigInt(Math.round(rate * Number(RATE_SCALE)));
}

/** Converts with the rate in either direction and rounds once, by the named mode. */
export function convert(amount: Money, to: CurrencyCode, fx: FxRate, mode: RoundingMode): Money {
  if (amount.currency === to) return amount;
  const direct = fx.base === amount.currency && fx.quote === to;
  const inverse = fx.base === to && fx.quote === amount.currency;
  invariant(direct || inverse, `rate ${fx.base}/${fx.quote} cannot convert ${amount.currency} to ${to}`);
  const rate = scaledRate(fx.rate);
  const fromScale = 10n ** BigInt(minorDigits(amount.currency));
  const toScale = 10n ** BigInt(minorDigits(to));
  const numerator = BigInt(amount.amountMinor) * toScale * (direct ? rate : RATE_SCALE);
  const denominator = fromScale * (direct ? RATE_SCALE : rate);
  const converted = divideRounded(numerator, denominator, mode);
  if (converted > BigInt(Number.MAX_SAFE_INTEGER) || converted < -BigInt(Number.MAX_SAFE_INTEGER))
    throw new DomainError(
      'amount_out_of_range',
      `${amount.amountMinor} minor units of ${amount.currency} are ${converted} of ${to} at ${fx.rate}: beyond what can be held exactly`,
    );
  return money(Number(converted), to);
}
