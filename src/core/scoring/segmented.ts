import { groupBy } from '../group-by.js';
import type { Applicant, ScorecardModel } from './scorecard.js';

/**
 * A scorecard with separate weights per customer segment (A2): a segment with enough history of
 * its own (SEGMENT_MIN_ROWS rows, SEGMENT_MIN_EACH goods and bads) gets its own scorecard; every
 * other segment — and a segment never seen — is scored by the pooled one.
 */
export interface SegmentedScorecard {
  readonly kind: 'segmented-scorecard';
  /** The applicant field that names the segment. */
  readonly segmentBy: string;
  readonly pooled: ScorecardModel;
  readonly segments: Readonly<Record<string, ScorecardModel>>;
}

export const SEGMENT_MIN_ROWS = 500;
export const SEGMENT_MIN_EACH = 50;

/** The scorecard that scores this applicant: its segment's own, or the pooled one. */
export function scorecardFor(model: SegmentedScorecard, applicant: Applicant): ScorecardModel {
  return model.segments[String(applicant[model.segmentBy])] ?? model.pooled;
}

/** Segments with enough rows and enough of each outcome for weights of their own. */
export function segmentsWithOwnWeights<R>(
  rows: readonly R[],
  segmentOf: (row: R) => string,
  outcomeOf: (row: R) => 0 | 1,
): Map<string, R[]> {
  const bySegment = groupBy(rows, segmentOf);
  for (const [segment, list] of bySegment) {
    const bads = list.filter((r) => outcomeOf(r) === 1).length;
    if (list.length < SEGMENT_MIN_ROWS || bads < SEGMENT_MIN_EACH || list.length - bads < SEGMENT_MIN_EACH)
      bySegment.delete(segment);
  }
  return bySegment;
}
