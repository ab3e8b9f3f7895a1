import { AGING_BUCKETS, type AgingBucket, bucketOf } from '../receivables/aging.js';
import { addMonths, type BusinessDate, daysBetween, monthEnd } from '../time/business-date.js';
import { lossOf, type ProvisionSettings } from './provision-matrix.js';
import { openOn, type ReceivableHistory, writtenOffBetween } from './receivable-history.js';

export interface RunToTest {
  readonly id: string;
  readonly asOf: BusinessDate;
  readonly buckets: readonly { bucket: AgingBucket; reserveMinor: number }[];
  /** Customers assessed individually in the run: their losses are compared with their own provisions. */
  readonly specificMinor: number;
  readonly specificCustomerIds: ReadonlySet<string>;
}

export interface RunBacktest {
  readonly runId: string;
  readonly asOf: BusinessDate;
  /** The end of the 12 months (or today, when they have not all passed: `complete` false). */
  readonly horizonEnd: BusinessDate;
  readonly complete: boolean;
  readonly reserveMinor: number;
  readonly realisedLossMinor: number;
  readonly buckets: { bucket: AgingBucket; reserveMinor: number; realisedLossMinor: number }[];
  readonly specific: { reserveMinor: number; realisedLossMinor: number };
}

/**
 * Each past run's reserve against the losses that materialised on what was open at its date within
 * the following `horizonMonths` (the definition of default of the settings), per bucket.
 */
export function reserveBacktest(
  histories: readonly ReceivableHistory[],
  runs: readonly RunToTest[],
  today: BusinessDate,
  settings: ProvisionSettings,
): RunBacktest[] {
  return runs.map((run) => {
    const fullEnd = monthEnd(addMonths(run.asOf, settings.horizonMonths));
    const horizonEnd = fullEnd <= today ? fullEnd : today;
    const lost = new Map<AgingBucket, number>();
    let specificLoss = 0;
    for (const h of histories) {
      const openMinor = openOn(h, run.asOf);
      if (openMinor <= 0) continue;
      const loss = lossOf(
        {
          dueDate: h.dueDate,
          openMinor,
          writtenOffMinor: writtenOffBetween(h, run.asOf, horizonEnd),
          openAtHorizonMinor: openOn(h, horizonEnd),
        },
        horizonEnd,
        settings,
      );
      if (run.specificCustomerIds.has(h.customerId)) specificLoss += loss;
      else {
        const bucket = bucketOf(daysBetween(h.dueDate, run.asOf));
        lost.set(bucket, (lost.get(bucket) ?? 0) + loss);
      }
    }
    const buckets = AGING_BUCKETS.map((bucket) => ({
      bucket,
      reserveMinor: run.buckets.find((b) => b.bucket === bucket)?.reserveMinor ?? 0,
      realisedLossMinor: lost.get(bucket) ?? 0,
    }));
    const collective = buckets.reduce((s, b) => s + b.reserveMinor, 0);
    const collectiveLoss = buckets.reduce((s, b) => s + b.realisedLossMinor, 0);
    return {
      runId: run.id,
      asOf: run.asOf,
      horizonEnd,
      complete: horizonEnd === fullEnd,
      reserveMinor: collective + run.specificMinor,
      realisedLossMinor: collectiveLoss + specificLoss,
      buckets,
      specific: { reserveMinor: run.specificMinor, realisedLossMinor: specificLoss },
    };
  });
}
