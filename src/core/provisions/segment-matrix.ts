import type { BusinessDate } from '../time/business-date.js';
import { historySource } from './cohort-source.js';
import { learnMatrix } from './learn-matrix.js';
import type { BucketRate, ProvisionSettings } from './provision-matrix.js';
import type { ReceivableHistory } from './receivable-history.js';

/** A segment's bucket learns its own rate only when it held this share of the book's balance there. */
export const MIN_SEGMENT_SHARE = 0.1;

export interface SegmentRate extends BucketRate {
  /** Where the rate came from: the segment's own history, or the book's when the segment's was too thin. */
  readonly source: 'segment' | 'book';
}

/**
 * A matrix per segment (e.g. small / mid / large buyers), learnt the same way from each segment's
 * own invoices; a bucket whose segment history is thin (under `MIN_SEGMENT_SHARE` of the book's
 * balance in that bucket) takes the book's rate instead, and says so.
 */
export function segmentMatrices(
  histories: readonly ReceivableHistory[],
  segmentOf: (customerId: string) => string,
  asOf: BusinessDate,
  settings: ProvisionSettings,
  book: readonly BucketRate[],
): Map<string, SegmentRate[]> {
  const bySegment = new Map<string, ReceivableHistory[]>();
  for (const h of histories) {
    const segment = segmentOf(h.customerId);
    const list = bySegment.get(segment) ?? [];
    list.push(h);
    bySegment.set(segment, list);
  }
  const out = new Map<string, SegmentRate[]>();
  for (const [segment, list] of [...bySegment].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const own = learnMatrix(historySource(list), asOf, settings)?.matrix ?? [];
    out.set(
      segment,
      book.map((bookRate) => {
        const mine = own.find((r) => r.bucket === bookRate.bucket);
        return mine && mine.balanceMinor >= bookRate.balanceMinor * MIN_SEGMENT_SHARE && mine.balanceMinor > 0
          ? { ...mine, source: 'segment' }
          : { ...bookRate, source: 'book' };
      }),
    );
  }
  return out;
}
