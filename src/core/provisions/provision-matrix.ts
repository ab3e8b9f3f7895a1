import { AGING_BUCKETS, type AgingBucket } from '../receivables/aging.js';
import { type BusinessDate, daysBetween } from '../time/business-date.js';
import { type CohortTotal, sumInReport } from './cohort-source.js';
import { DEFAULT_GL_ACCOUNTS, type GlAccounts } from './movement.js';

/** The settings of the loss-rate method, each recorded with every run. */
export interface ProvisionSettings {
  /** Month-ends of history the loss rates average over. */
  readonly lookbackMonths: number;
  /** How long after a month-end its receivables' losses are counted. */
  readonly horizonMonths: number;
  /**
   * Default: a write-off, or an amount still open this many days past due at the end of the
   * horizon (counted as lost). 0: write-offs only.
   */
  readonly lossDaysPastDue: number;
  /** Forward-looking overlay: every rate is multiplied by it (1: none), with its reason. */
  readonly overlay: number;
  readonly overlayReason: string | null;
  /** The overlay was the economic cycle's PD scale for the regime as of the date (its reason says which). */
  readonly overlayFromCycle: boolean;
  /** How the rates are learnt: the loss rate of each bucket, or the roll rates through the buckets. */
  readonly method: 'loss_rate' | 'roll_rate';
  /** A matrix per customer segment where the segment's history supports it, or one for the book. */
  readonly segmentBy: 'none' | 'segment';
  /** The accounts the journal posts to. */
  readonly accounts: GlAccounts;
}

export const DEFAULT_PROVISION_SETTINGS: ProvisionSettings = {
  lookbackMonths: 24,
  horizonMonths: 12,
  lossDaysPastDue: 365,
  overlay: 1,
  overlayReason: null,
  overlayFromCycle: false,
  method: 'loss_rate',
  segmentBy: 'none',
  accounts: DEFAULT_GL_ACCOUNTS,
};

/** One invoice as it stood at a past month-end, and what became of it within the horizon. */
export interface CohortItem {
  readonly dueDate: BusinessDate;
  /** Open at the month-end, in the report currency. */
  readonly openMinor: number;
  /** Written off after the month-end, within the horizon. */
  readonly writtenOffMinor: number;
  /** Still open at the end of the horizon, and its due date then lay this many days behind. */
  readonly openAtHorizonMinor: number;
}

export interface BucketRate {
  readonly bucket: AgingBucket;
  /** Σ over the month-ends of the bucket's balance, and of what of it was lost. */
  readonly balanceMinor: number;
  readonly lossMinor: number;
  /** Loss ÷ balance (0 without history), before the overlay. */
  readonly historicalRate: number;
  /** With the overlay, capped at 1. */
  readonly lossRate: number;
}

/**
 * What of one invoice open at `monthEnd` was lost by `horizonEnd`: its write-offs in between, and
 * what was still open then at least `lossDaysPastDue` past due — never more than was open.
 */
export function lossOf(
  item: CohortItem,
  horizonEnd: BusinessDate,
  settings: Pick<ProvisionSettings, 'lossDaysPastDue'>,
): number {
  const stillOpenLost =
    settings.lossDaysPastDue > 0 && daysBetween(item.dueDate, horizonEnd) >= settings.lossDaysPastDue
      ? item.openAtHorizonMinor
      : 0;
  return Math.min(item.openMinor, item.writtenOffMinor + stillOpenLost);
}

/**
 * The provision matrix by the loss-rate method (IFRS 9 simplified approach, FORMULAS.md): for each
 * aging bucket, the receivables in it at each past month-end and what of them was lost within the
 * horizon, summed over the month-ends (a balance-weighted average of the monthly rates), times the
 * forward-looking overlay. Each currency's sums convert at the run's rate (`rateOf`).
 */
export function provisionMatrix(
  cohorts: readonly { totals: readonly CohortTotal[] }[],
  rateOf: (currency: string) => number,
  settings: Pick<ProvisionSettings, 'overlay'>,
): BucketRate[] {
  const sums = sumInReport(
    cohorts.flatMap((c) =>
      c.totals.map((t) => ({
        currency: t.currency,
        key: t.bucket,
        first: t.balanceMinor,
        second: t.lossMinor,
      })),
    ),
    rateOf,
  );
  return AGING_BUCKETS.map((bucket) => {
    const [balanceMinor, lossMinor] = sums.get(bucket) ?? [0, 0];
    const historicalRate = balanceMinor > 0 ? lossMinor / balanceMinor : 0;
    return {
      bucket,
      balanceMinor,
      lossMinor,
      historicalRate,
      lossRate: Math.min(1, historicalRate * settings.overlay),
    };
  });
}
