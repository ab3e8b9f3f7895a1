import { addDays, addMonths, type BusinessDate, daysBetween } from '../time/business-date.js';
import { type BehaviourFeatures, behaviourFeatures, type InvoiceHistory } from './behaviour.js';
import type { Column } from './binning.js';
import { fitGbdt, gbdtPd } from './gbdt.js';
import { auc, brier, calibrationTable, ks, scorePsi } from './metrics.js';
import { type Recalibration, recalibrationShift } from './recalibration.js';
import {
  type Applicant,
  fitScorecard,
  reasonCodes,
  type ScorecardFeature,
  type ScorecardModel,
  scorecardPd,
  scorecardPoints,
  woeVector,
} from './scorecard.js';
import { type SegmentedScorecard, scorecardFor, segmentsWithOwnWeights } from './segmented.js';
import { type FeatureStability, featureStability } from './stability.js';

/**
 * The behavioural late-payment model (A4, D4): the probability that a customer pays its next
 * invoice more than LATE_DAYS past due, from nothing but its own payment history known at the
 * time. Trained on the stored ledger; each training row is an invoice, its features what the
 * customer's history showed the day before it was issued (no look-ahead).
 */
export const LATE_DAYS = 30;

/** One stored invoice with the dates that decide its label. */
export interface LedgerInvoice extends InvoiceHistory {
  readonly customerId: string;
  readonly segment: string;
  /** Written off as bad debt: settled in the books, never paid. */
  readonly writtenOffMinor: number;
}

export const FEATURES = [
  'historyInvoices',
  'monthsTrading',
  'lateShare',
  'meanDaysLate',
  'meanDaysToPay',
  'daysLateTrend',
  'partialPaymentShare',
  'creditedShare',
  'growth',
  'termsDays',
  'segment',
] as const;
export type FeatureName = (typeof FEATURES)[number];

/**
 * Was the invoice paid more than LATE_DAYS late — or is it still open that late on `today`, or
 * written off (settled in the books without being paid)? Judged on what was known on `today`:
 * a settlement after it is not seen (a model fitted as of a past date must not look ahead).
 */
export function labelOf(
  invoice: InvoiceHistory & { writtenOffMinor?: number },
  today: BusinessDate,
): 0 | 1 | null {
  if (invoice.issueDate > today) return null;
  const limit = addDays(invoice.dueDate, LATE_DAYS);
  if (invoice.settledOn !== null && invoice.settledOn <= today) {
    if ((invoice.writtenOffMinor ?? 0) > 0) return 1;
    return invoice.settledOn > limit ? 1 : 0;
  }
  if (today > limit) return 1;
  return null; // not known yet
}

function applicant(features: BehaviourFeatures, termsDays: number, segment: string): Applicant {
  return {
    historyInvoices: features.invoices,
    monthsTrading: features.monthsTrading,
    lateShare: features.lateShare,
    meanDaysLate: features.meanDaysLate,
    meanDaysToPay: features.meanDaysToPay,
    daysLateTrend: features.daysLateTrend,
    partialPaymentShare: features.partialPaymentShare,
    creditedShare: features.creditedShare,
    growth: features.growth,
    termsDays,
    segment,
  };
}

/** The history a customer showed on `asOf`: only invoices settled by then, as settled. */
function knownHistory(invoices: readonly LedgerInvoice[], asOf: BusinessDate): InvoiceHistory[] {
  return invoices
    .filter((i) => i.settledOn !== null && i.settledOn <= asOf)
    .map((i) => ({ ...i, openMinor: 0 }));
}

export interface TrainingRow {
  readonly issueDate: BusinessDate;
  readonly applicant: Applicant;
  readonly late: 0 | 1;
}

/** One row per invoice whose outcome is known on `today`. */
export function trainingRows(
  byCustomer: ReadonlyMap<string, readonly LedgerInvoice[]>,
  today: BusinessDate,
): TrainingRow[] {
  const rows: TrainingRow[] = [];
  for (const invoices of byCustomer.values()) {
    for (const invoice of invoices) {
      const late = labelOf(invoice, today);
      if (late === null) continue;
      rows.push({ issueDate: invoice.issueDate, applicant: applicantAtIssue(invoices, invoice), late });
    }
  }
  return rows;
}

/** What the model is given for an invoice: its customer's history the day before it was issued. */
export function applicantAtIssue(invoices: readonly LedgerInvoice[], invoice: LedgerInvoice): Applicant {
  const asOf = addDays(invoice.issueDate, -1);
  const features = behaviourFeatures(knownHistory(invoices, asOf), asOf);
  return applicant(features, daysBetween(invoice.issueDate, invoice.dueDate), invoice.segment);
}

/**
 * What the model is given for a sale asked for on `date` that was never invoiced (a refused order):
 * the history before it, on the terms of the customer's latest earlier invoice; null with none.
 */
export function applicantBefore(invoices: readonly LedgerInvoice[], date: BusinessDate): Applicant | null {
  const last = invoices.filter((i) => i.issueDate < date).at(-1);
  if (!last) return null;
  return applicantAtIssue(invoices, {
    ...last,
    issueDate: date,
    dueDate: addDays(date, daysBetween(last.issueDate, last.dueDate)),
  });
}

function columns(rows: readonly TrainingRow[]): Column[] {
  return FEATURES.map((name) =>
    name === 'segment'
      ? { name, kind: 'categorical' as const, values: rows.map((r) => String(r.applicant[name])) }
      : { name, kind: 'numeric' as const, values: rows.map((r) => r.applicant[name] as number | null) },
  );
}

/** Features whose risk is known to rise with the value: paying later, more often late, more claims. */
const RISK_RISES_WITH = new Set<string>([
  'lateShare',
  'meanDaysLate',
  'meanDaysToPay',
  'daysLateTrend',
  'partialPaymentShare',
  'creditedShare',
]);

/** A feature whose bins say the opposite of what credit practice knows (an artefact of the data). */
function againstPractice(feature: ScorecardFeature): boolean {
  if (!RISK_RISES_WITH.has(feature.name) || feature.binning.type !== 'numeric') return false;
  const lastBin = feature.binning.cuts.length;
  // WoE is ln(good/bad): it must not rise from the lowest values to the highest.
  return (feature.woe[lastBin] ?? 0) > (feature.woe[0] ?? 0);
}

/**
 * A scorecard whose every feature points the way credit practice and its own data agree on: a
 * feature the regression turned around (collinear with another), or whose bins contradict
 * practice (a data artefact), would give reasons no analyst could defend ("no credit notes" costing
 * points), so it is dropped and the rest refitted.
 */
function fitSigned(rows: readonly TrainingRow[]): ScorecardModel {
  let kept = columns(rows);
  const outcomes = rows.map((r) => r.late);
  for (;;) {
    const model = fitScorecard(kept, outcomes, 'late');
    const dropped = new Set(
      model.features
        .filter((f, j) => (model.coefficients[j] as number) >= 0 || againstPractice(f))
        .map((f) => f.name),
    );
    if (dropped.size === 0 || dropped.size === model.features.length) return model;
    kept = kept.filter((c) => !dropped.has(c.name));
  }
}

/** The late-payment model: a pooled scorecard, and segments with weights of their own when that pays. */
export type LatePaymentModel = SegmentedScorecard;

/** Pooled only, or pooled plus every segment with enough history for weights of its own. */
function fitStructure(rows: readonly TrainingRow[], segmented: boolean): LatePaymentModel {
  const segments: Record<string, ScorecardModel> = {};
  if (segmented)
    for (const [segment, list] of segmentsWithOwnWeights(
      rows,
      (r) => String(r.applicant.segment),
      (r) => r.late,
    ))
      segments[segment] = fitSigned(list);
  return { kind: 'segmented-scorecard', segmentBy: 'segment', pooled: fitSigned(rows), segments };
}

/** The pooled scorecard alone, with no back-test: the model a replay fits as of each past date. */
export const fitPooledLatePaymentModel = (rows: readonly TrainingRow[]) => fitStructure(rows, false);

export function latePaymentPd(model: LatePaymentModel, applicant: Applicant): number {
  return scorecardPd(scorecardFor(model, applicant), applicant);
}

/** Segments' own weights must rank later invoices better than the pooled scorecard by this much. */
export const SEGMENT_MARGIN = 0.005;

export interface Segmentation {
  readonly chosen: 'pooled' | 'segmented';
  readonly pooledAuc: number;
  /** Null when no segment had enough history for weights of its own. */
  readonly segmentedAuc: number | null;
  /** The segments that would have (when chosen: that have) their own weights. */
  readonly ownWeights: string[];
}

export interface BackTest {
  readonly trainedUpTo: BusinessDate;
  readonly trainRows: number;
  readonly testRows: number;
  readonly auc: number;
  readonly ks: number;
  readonly brier: number;
  readonly badRate: number;
  /** Predicted vs observed on the later invoices, by decile of predicted PD. */
  readonly calibration: ReturnType<typeof calibrationTable>;
  /** Stability of the score from the training invoices to the later ones (< 0.1 stable, > 0.25 shifted). */
  readonly psi: number;
  /** The same, feature by feature on the scorecard's bins: which one moved. */
  readonly featureStability: FeatureStability[];
  /** The gradient-boosted challenger, fitted on the same invoices and tested on the same later ones. */
  readonly challenger: ChallengerResult;
  /** Pooled weights against separate weights per segment on the same later invoices, and the choice. */
  readonly segmentation: Segmentation;
  /**
   * Calibration in the large of the refitted model on the later invoices, card by card (pooled,
   * or a segment's own): the intercept moved so the mean PD meets the rate observed — when the gap
   * is more than noise. PDs set grades on the master scale, so they must mean what they say.
   */
  readonly recalibration: (Recalibration & { readonly card: string })[];
}

/** Each card of the model shifted to the rate its recent rows showed (see BackTest.recalibration). */
function recalibrate(
  model: LatePaymentModel,
  recent: readonly TrainingRow[],
): { model: LatePaymentModel; record: BackTest['recalibration'] } {
  const record: BackTest['recalibration'] = [];
  const shifted = (name: string, card: ScorecardModel): ScorecardModel => {
    const rows = recent.filter((r) => scorecardFor(model, r.applicant) === card);
    if (rows.length === 0) return card;
    const result = recalibrationShift(
      card,
      rows.map((r) => woeVector(card, r.applicant)),
      rows.map((r) => r.late),
    );
    record.push({
      card: name,
      rows: result.rows,
      observedRate: round(result.observedRate),
      meanPdBefore: round(result.meanPdBefore),
      interceptShift: round(result.interceptShift),
    });
    return { ...card, intercept: card.intercept + result.interceptShift };
  };
  const segments = Object.fromEntries(
    Object.entries(model.segments).map(([segment, card]) => [segment, shifted(segment, card)]),
  );
  return { model: { ...model, pooled: shifted('pooled', model.pooled), segments }, record };
}

export interface ChallengerResult {
  readonly kind: 'gbdt';
  readonly auc: number;
  readonly ks: number;
  readonly brier: number;
  readonly trees: number;
  /** Challenger AUC − champion AUC on the back-test. */
  readonly aucDelta: number;
  /**
   * `challenger_ahead` when it ranks later invoices better by CHALLENGER_MARGIN or more: a
   * review for the credit team, not a switch — the scorecard stays champion, because every
   * decision it backs has reasons an analyst can read out in points.
   */
  readonly verdict: 'champion_holds' | 'challenger_ahead';
}

/** The AUC a challenger must gain before it is worth a review: less is within back-test noise. */
export const CHALLENGER_MARGIN = 0.01;

function challengerOn(
  train: readonly TrainingRow[],
  test: readonly TrainingRow[],
  championAuc: number,
): ChallengerResult {
  const model = fitGbdt(
    columns(train),
    train.map((r) => r.late),
    'late',
  );
  const scores = test.map((r) => gbdtPd(model, r.applicant));
  const outcomes = test.map((r) => r.late);
  const challengerAuc = round(auc(scores, outcomes));
  const aucDelta = round(challengerAuc - championAuc);
  return {
    kind: 'gbdt',
    auc: challengerAuc,
    ks: round(ks(scores, outcomes)),
    brier: round(brier(scores, outcomes)),
    trees: model.trees.length,
    aucDelta,
    verdict: aucDelta >= CHALLENGER_MARGIN ? 'challenger_ahead' : 'champion_holds',
  };
}

/**
 * Fits on invoices issued before the last `holdOutMonths` and back-tests on those after — the
 * way the model will be used, on invoices it has not seen — then refits on everything. The
 * back-test keeps on record the stability of the score and of each feature, how a
 * gradient-boosted challenger fitted and tested on the same invoices compares (A3), and whether
 * separate weights per segment rank those invoices better than pooled ones — the refit keeps
 * them only if so (A2).
 */
export function fitLatePaymentModel(
  rows: readonly TrainingRow[],
  today: BusinessDate,
  holdOutMonths = 3,
): { model: LatePaymentModel; backTest: BackTest | null } {
  return fitWithBackTest(rows, today, holdOutMonths, true);
}

/**
 * The same model as `fitLatePaymentModel` — the same choice of segments, the same refit and
 * recalibration — without the diagnostics kept on record beside it (stability, calibration, the
 * challenger): for ratings as of past dates, where only the grades are kept.
 */
export function latePaymentModelOnly(
  rows: readonly TrainingRow[],
  today: BusinessDate,
  holdOutMonths = 3,
): LatePaymentModel {
  return fitWithBackTest(rows, today, holdOutMonths, false).model;
}

function fitWithBackTest(
  rows: readonly TrainingRow[],
  today: BusinessDate,
  holdOutMonths: number,
  diagnose: boolean,
): { model: LatePaymentModel; backTest: BackTest | null } {
  const cutoff = addMonths(today, -(holdOutMonths + 1));
  const train = rows.filter((r) => r.issueDate <= cutoff);
  const test = rows.filter((r) => r.issueDate > cutoff);
  let tested: Omit<BackTest, 'recalibration'> | null = null;
  const hasBoth = (set: readonly TrainingRow[]) =>
    set.some((r) => r.late === 1) && set.some((r) => r.late === 0);
  let segmented = false;
  let backTested = false;
  if (hasBoth(train) && hasBoth(test)) {
    backTested = true;
    const outcomes = test.map((r) => r.late);
    const bySegment = fitStructure(train, true);
    // The same pooled card, without the segments' own: fitted once.
    const pooled: LatePaymentModel = { ...bySegment, segments: {} };
    const ownWeights = Object.keys(bySegment.segments);
    const pooledScores = test.map((r) => latePaymentPd(pooled, r.applicant));
    const segmentedScores = test.map((r) => latePaymentPd(bySegment, r.applicant));
    const pooledAuc = round(auc(pooledScores, outcomes));
    const segmentedAuc = ownWeights.length > 0 ? round(auc(segmentedScores, outcomes)) : null;
    segmented = segmentedAuc !== null && segmentedAuc >= pooledAuc + SEGMENT_MARGIN;
    const early = segmented ? bySegment : pooled;
    const scores = segmented ? segmentedScores : pooledScores;
    const championAuc = segmented ? (segmentedAuc as number) : pooledAuc;
    if (diagnose)
      tested = {
        trainedUpTo: cutoff,
        trainRows: train.length,
        testRows: test.length,
        auc: championAuc,
        ks: round(ks(scores, outcomes)),
        brier: round(brier(scores, outcomes)),
        badRate: round(outcomes.reduce((s: number, y) => s + y, 0) / outcomes.length),
        calibration: calibrationTable(scores, outcomes).map((row) => ({
          count: row.count,
          pdFrom: round(row.pdFrom),
          pdTo: round(row.pdTo),
          meanPd: round(row.meanPd),
          observedRate: round(row.observedRate),
        })),
        psi: round(
          scorePsi(
            train.map((r) => latePaymentPd(early, r.applicant)),
            scores,
          ),
        ),
        featureStability: featureStability(
          early.pooled,
          train.map((r) => r.applicant),
          test.map((r) => r.applicant),
        ).map((f) => ({ feature: f.feature, psi: round(f.psi) })),
        challenger: challengerOn(train, test, championAuc),
        segmentation: { chosen: segmented ? 'segmented' : 'pooled', pooledAuc, segmentedAuc, ownWeights },
      };
  }
  // Without a back-test there is no evidence that separate weights pay (pooled), nor recent rows
  // to recalibrate on.
  const fitted = fitStructure(rows, segmented);
  if (!backTested) return { model: fitted, backTest: null };
  const { model, record } = recalibrate(fitted, test);
  return { model, backTest: tested && { ...tested, recalibration: record } };
}

const round = (x: number) => Math.round(x * 10_000) / 10_000;

/** Behavioural grades 1 (best) … 10 by the probability of paying 30+ days late. */
export const BEHAVIOUR_SCALE: readonly { grade: number; pdUpTo: number }[] = [
  { grade: 1, pdUpTo: 0.01 },
  { grade: 2, pdUpTo: 0.02 },
  { grade: 3, pdUpTo: 0.04 },
  { grade: 4, pdUpTo: 0.07 },
  { grade: 5, pdUpTo: 0.1 },
  { grade: 6, pdUpTo: 0.15 },
  { grade: 7, pdUpTo: 0.22 },
  { grade: 8, pdUpTo: 0.32 },
  { grade: 9, pdUpTo: 0.45 },
  { grade: 10, pdUpTo: 1 },
];

export function behaviourGrade(pd: number): number {
  return BEHAVIOUR_SCALE.find((g) => pd <= g.pdUpTo)?.grade ?? 10;
}

/** A customer's score today: from its history up to today and the terms of its latest invoice. */
export function scoreCustomer(
  model: LatePaymentModel,
  invoices: readonly LedgerInvoice[],
  today: BusinessDate,
  segment: string,
) {
  const features = behaviourFeatures(knownHistory(invoices, today), today);
  const latest = invoices
    .filter((i) => i.issueDate <= today)
    .sort((a, b) => b.issueDate.localeCompare(a.issueDate))[0];
  const row = applicant(features, latest ? daysBetween(latest.issueDate, latest.dueDate) : 30, segment);
  const card = scorecardFor(model, row);
  const pd = scorecardPd(card, row);
  return {
    score: Math.round(scorecardPoints(card, row).score),
    pd: round(pd),
    grade: behaviourGrade(pd),
    reasons: reasonCodes(card, row),
    features: row,
  };
}
