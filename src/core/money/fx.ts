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

function scaledRate(rate: number): bigint {
  if (!(Number.isFinite(rate) && rate > 0))
    throw new DomainError('invalid_fx_rate', `FX rate must be > 0, got ${rate}`, 'rate');
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
  return money(Number(divideRounded(numerator, denominator, mode)), to);
}
