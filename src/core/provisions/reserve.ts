import { AGING_BUCKETS, type AgingBucket, bucketOf } from '../receivables/aging.js';
import { type BusinessDate, daysBetween } from '../time/business-date.js';
import type { BucketRate } from './provision-matrix.js';
import { openOn, type ReceivableHistory } from './receivable-history.js';

/** What an insurer would pay of a customer's loss (F2), as of the reserve's date. */
export interface CustomerCover {
  /** The open receivables the insurer would pay on: within the buyer's insured limit, cover not lost, net of the deductible. */
  readonly coveredMinor: number;
  /** The policy's indemnity share, 0–1. */
  readonly indemnity: number;
}

/** An individually assessed, credit-impaired customer: it leaves the matrix. */
export interface SpecificAssessment {
  readonly id: string;
  readonly customerId: string;
  /** Expected recovery from the customer (estate, collateral other than insurance), 0–1. */
  readonly recoveryRate: number;
  readonly reason: string;
}

export interface BucketReserve {
  readonly bucket: AgingBucket;
  readonly openMinor: number;
  readonly lossRate: number;
  /** Open × rate, rounded half up. */
  readonly grossReserveMinor: number;
  /** What insurance would pay of that loss: gross × covered share × indemnity. */
  readonly coverReliefMinor: number;
  readonly reserveMinor: number;
}

export interface SpecificReserve {
  readonly assessmentId: string;
  readonly customerId: string;
  readonly openMinor: number;
  readonly recoveryRate: number;
  readonly grossReserveMinor: number;
  readonly coverReliefMinor: number;
  readonly reserveMinor: number;
  readonly reason: string;
}

export interface CustomerReserve {
  readonly customerId: string;
  readonly openMinor: number;
  readonly method: 'collective' | 'specific';
  readonly coverReliefMinor: number;
  readonly reserveMinor: number;
}

export interface BookReserve {
  readonly buckets: BucketReserve[];
  readonly specific: SpecificReserve[];
  /** Every customer with a reserve, largest first. */
  readonly customers: CustomerReserve[];
  readonly reserveMinor: number;
}

/** The part of a customer's open receivables insurance covers, 0–1 (before the indemnity). */
function coveredFraction(cover: CustomerCover | undefined, openMinor: number): number {
  if (!cover || openMinor <= 0) return 0;
  return Math.min(cover.coveredMinor, openMinor) / openMinor;
}

/** What stands between a loss and the reserve: assessments, collateral, insurance. */
export interface ReserveSecurity {
  readonly covers?: ReadonlyMap<string, CustomerCover>;
  readonly assessments?: ReadonlyMap<string, SpecificAssessment>;
  /** Valid letters of credit and guarantees per customer: drawn first, in full. */
  readonly secured?: ReadonlyMap<string, number>;
  /** The policy's aggregate first loss: borne by the insured before the insurer pays. */
  readonly firstLossMinor?: number;
  /** A customer's own matrix (its segment's), when the book is segmented; else the book's. */
  readonly ratesOf?: (customerId: string) => readonly BucketRate[];
}

/**
 * The reserve as of `asOf`: credit-impaired customers individually (open × (1 − recovery)), every
 * other customer's open receivables by aging bucket × the matrix rate; each net of what security
 * would pay. A valid letter of credit or guarantee covers its share of the customer's open
 * receivables in full; insurance the covered share of the rest × indemnity, after the policy's
 * aggregate first loss (the insured bears that much of the insured losses first, so every
 * customer's insurance relief shrinks by the same factor).
 */
export function bookReserve(
  histories: readonly ReceivableHistory[],
  asOf: BusinessDate,
  rates: readonly BucketRate[],
  security: ReserveSecurity = {},
): BookReserve {
  const covers = security.covers ?? new Map<string, CustomerCover>();
  const assessments = security.assessments ?? new Map<string, SpecificAssessment>();
  const secured = security.secured ?? new Map<string, number>();
  const firstLossMinor = security.firstLossMinor ?? 0;
  const rate = new Map(rates.map((r) => [r.bucket, r.lossRate]));
  const { ratesOf } = security;
  const byCustomer = new Map<string, number[]>();
  for (const h of histories) {
    const open = openOn(h, asOf);
    if (open <= 0) continue;
    const row = byCustomer.get(h.customerId) ?? new Array<number>(AGING_BUCKETS.length).fill(0);
    const i = AGING_BUCKETS.indexOf(bucketOf(daysBetween(h.dueDate, asOf)));
    row[i] = (row[i] ?? 0) + open;
    byCustomer.set(h.customerId, row);
  }
  // Each customer's expected loss before cover (unrounded), and the insured part of it.
  const lines = [...byCustomer]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([customerId, row]) => {
      const openMinor = row.reduce((s, x) => s + x, 0);
      const assessment = assessments.get(customerId);
      const own = ratesOf ? new Map(ratesOf(customerId).map((r) => [r.bucket, r.lossRate])) : rate;
      const losses = row.map((open, i) =>
        assessment ? 0 : open * (own.get(AGING_BUCKETS[i] as AgingBucket) ?? 0),
      );
      const gross = assessment
        ? Math.round(openMinor * (1 - assessment.recoveryRate))
        : losses.reduce((s, x) => s + x, 0);
      const cover = covers.get(customerId);
      const securedFraction =
        openMinor > 0 ? Math.min(secured.get(customerId) ?? 0, openMinor) / openMinor : 0;
      const fraction = Math.min(coveredFraction(cover, openMinor), 1 - securedFraction);
      return {
        customerId,
        row,
        openMinor,
        assessment,
        losses,
        gross,
        securedFraction,
        fraction,
        indemnity: cover?.indemnity ?? 0,
      };
    });
  const insuredLoss = lines.reduce((s, l) => s + l.gross * l.fraction, 0);
  const afterFirstLoss = insuredLoss > 0 ? Math.max(0, insuredLoss - firstLossMinor) / insuredLoss : 1;

  const bucketOpen = new Array<number>(AGING_BUCKETS.length).fill(0);
  const bucketRelief = new Array<number>(AGING_BUCKETS.length).fill(0);
  const bucketLoss = new Array<number>(AGING_BUCKETS.length).fill(0);
  const specific: SpecificReserve[] = [];
  const customers: CustomerReserve[] = [];
  for (const {
    customerId,
    row,
    openMinor,
    assessment,
    losses,
    gross,
    securedFraction,
    fraction,
    indemnity,
  } of lines) {
    const share = securedFraction + fraction * indemnity * afterFirstLoss;
    if (assessment) {
      const coverReliefMinor = Math.round(gross * share);
      const reserveMinor = gross - coverReliefMinor;
      specific.push({
        assessmentId: assessment.id,
        customerId,
        openMinor,
        recoveryRate: assessment.recoveryRate,
        grossReserveMinor: gross,
        coverReliefMinor,
        reserveMinor,
        reason: assessment.reason,
      });
      customers.push({ customerId, openMinor, method: 'specific', coverReliefMinor, reserveMinor });
      continue;
    }
    row.forEach((open, i) => {
      bucketOpen[i] = (bucketOpen[i] ?? 0) + open;
      bucketRelief[i] = (bucketRelief[i] ?? 0) + (losses[i] ?? 0) * share;
      bucketLoss[i] = (bucketLoss[i] ?? 0) + (losses[i] ?? 0);
    });
    const coverReliefMinor = Math.round(gross * share);
    customers.push({
      customerId,
      openMinor,
      method: 'collective',
      coverReliefMinor,
      reserveMinor: Math.round(gross) - coverReliefMinor,
    });
  }
  const buckets = AGING_BUCKETS.map((bucket, i): BucketReserve => {
    const openMinor = bucketOpen[i] ?? 0;
    // Segmented, a bucket's rate is what its customers' own rates come to on its balance.
    const lossRate = ratesOf && openMinor > 0 ? (bucketLoss[i] ?? 0) / openMinor : (rate.get(bucket) ?? 0);
    const grossReserveMinor = ratesOf ? Math.round(bucketLoss[i] ?? 0) : Math.round(openMinor * lossRate);
    const coverReliefMinor = Math.min(grossReserveMinor, Math.round(bucketRelief[i] ?? 0));
    return {
      bucket,
      openMinor,
      lossRate,
      grossReserveMinor,
      coverReliefMinor,
      reserveMinor: grossReserveMinor - coverReliefMinor,
    };
  });
  const reserveMinor =
    buckets.reduce((s, b) => s + b.reserveMinor, 0) + specific.reduce((s, b) => s + b.reserveMinor, 0);
  return {
    buckets,
    specific,
    customers: customers.filter((c) => c.reserveMinor > 0).sort((a, b) => b.reserveMinor - a.reserveMinor),
    reserveMinor,
  };
}
