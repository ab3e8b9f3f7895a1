import { AGING_BUCKETS, type AgingBucket, bucketOf } from '../receivables/aging.js';
import { type BusinessDate, daysBetween } from '../time/business-date.js';
import type { BucketRate, ProvisionSettings } from './provision-matrix.js';
import { firstOnOrAfter, openOn, type ReceivableHistory } from './receivable-history.js';

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
 * over the pairs of month-ends (a balance-weighted average).
 */
export function rollRates(
  histories: readonly ReceivableHistory[],
  monthEnds: readonly BusinessDate[],
): RollRate[] {
  const last = AGING_BUCKETS.length - 1;
  const balance = new Array<number>(last).fill(0);
  const rolled = new Array<number>(last).fill(0);
  const sorted = [...monthEnds].sort();
  // One pass over the book: an invoice is looked at only at the month-ends it was open at.
  for (const h of histories)
    for (let k = firstOnOrAfter(sorted, h.issueDate); k + 1 < sorted.length; k++) {
      const m = sorted[k] as BusinessDate;
      if (h.settledOn !== null && h.settledOn <= m) break;
      const open = openOn(h, m);
      if (open <= 0) continue;
      const from = AGING_BUCKETS.indexOf(bucketOf(daysBetween(h.dueDate, m)));
      if (from === last) continue;
      balance[from] = (balance[from] ?? 0) + open;
      const next = sorted[k + 1] as BusinessDate;
      const openNext = openOn(h, next);
      if (openNext > 0 && AGING_BUCKETS.indexOf(bucketOf(daysBetween(h.dueDate, next))) > from)
        rolled[from] = (rolled[from] ?? 0) + Math.min(open, openNext);
    }
  return AGING_BUCKETS.slice(0, last).map((from, i) => {
    const balanceMinor = balance[i] ?? 0;
    const rolledMinor = rolled[i] ?? 0;
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
