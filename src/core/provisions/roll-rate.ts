import { AGING_BUCKETS, type AgingBucket } from '../receivables/aging.js';
import type { BusinessDate } from '../time/business-date.js';
import { type CohortSource, sumInReport } from './cohort-source.js';
import type { BucketRate, ProvisionSettings } from './provision-matrix.js';

/** How much of a bucket's balance at one month-end sat in a later bucket at the next. */
export interface RollRate {
  readonly from: AgingBucket;
  readonly balanceMinor: number;
  readonly rolledMinor: number;
  readonly rate: number;
}

/**
 * Roll rates over consecutive month-ends (migration between aging buckets): for each bucket but the
 * last, of the balance in it at month-end m, the part still open at m+1 in a later bucket — summed
 * over the pairs of month-ends (a balance-weighted average), each currency converted at the run's rate.
 */
export function rollRates(source: CohortSource, monthEnds: readonly BusinessDate[]): RollRate[] {
  const last = AGING_BUCKETS.length - 1;
  const sums = sumInReport(
    source.rollCohorts([...monthEnds].sort()).flatMap((pair) =>
      pair.map((t) => ({
        currency: t.currency,
        key: t.from,
        first: t.balanceMinor,
        second: t.rolledMinor,
      })),
    ),
    (currency) => source.rateOf(currency),
  );
  return AGING_BUCKETS.slice(0, last).map((from) => {
    const [balanceMinor, rolledMinor] = sums.get(from) ?? [0, 0];
    return { from, balanceMinor, rolledMinor, rate: balanceMinor > 0 ? rolledMinor / balanceMinor : 0 };
  });
}

/**
 * The matrix by the roll-rate method: a bucket's loss rate is the chance its balance rolls through
 * every later bucket (the product of the roll rates) times the last bucket's own loss rate, learnt by
 * the loss-rate method (what of the over-90 balance was lost within the horizon). Then the overlay.
 */
export function rollRateMatrix(
  rolls: readonly RollRate[],
  lastBucket: BucketRate,
  settings: ProvisionSettings,
): BucketRate[] {
  let chain = lastBucket.historicalRate;
  const rates: BucketRate[] = [{ ...lastBucket, lossRate: Math.min(1, chain * settings.overlay) }];
  for (let i = rolls.length - 1; i >= 0; i--) {
    const roll = rolls[i] as RollRate;
    chain *= roll.rate;
    rates.unshift({
      bucket: roll.from,
      balanceMinor: roll.balanceMinor,
      lossMinor: Math.round(roll.balanceMinor * chain),
      historicalRate: chain,
      lossRate: Math.min(1, chain * settings.overlay),
    });
  }
  return rates;
}
