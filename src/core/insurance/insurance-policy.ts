import type { BusinessDate } from '../time/business-date.js';

/** The terms of a credit-insurance policy that decide cover, deadlines and claims (F2). */
export interface InsuranceTerms {
  readonly id: string;
  readonly currency: string;
  readonly startsOn: BusinessDate;
  readonly endsOn: BusinessDate;
  /** The share of an insured loss the insurer pays, 0–1. */
  readonly indemnity: number;
  /** Borne by the insured on each buyer's loss before the insurer pays. */
  readonly deductibleMinor: number;
  /** The insured bears this much of the insured losses of the policy period before the insurer pays. */
  readonly aggregateFirstLossMinor: number;
  /** Buyers without a named limit are covered up to this, unless their country is excluded. */
  readonly discretionaryLimitMinor: number;
  /** The longest the insured may extend a due date without the insurer's consent. */
  readonly maxExtensionDays: number;
  /** Days after the (extended) due date by which an unpaid invoice must be notified. */
  readonly notificationDays: number;
  /** Days after the (extended) due date by which a claim must be filed. */
  readonly claimFilingDays: number;
  readonly excludedCountries: readonly string[];
}

export const BUYER_LIMIT_STATUSES = [
  'requested',
  'approved',
  'partially_approved',
  'refused',
  'reduced',
  'cancelled',
] as const;
export type BuyerLimitStatus = (typeof BUYER_LIMIT_STATUSES)[number];

/** An application to the insurer, or its decision on a buyer, effective from a date. */
export interface BuyerLimitDecision {
  readonly status: BuyerLimitStatus;
  /** The limit granted (approved, partially approved, reduced); ignored otherwise. */
  readonly approvedMinor: number | null;
  readonly effectiveOn: BusinessDate;
  /** Order among decisions effective the same day: later recorded wins. */
  readonly recordedAt: string;
}

export function policyInForce(terms: InsuranceTerms, day: BusinessDate): boolean {
  return terms.startsOn <= day && day <= terms.endsOn;
}

/**
 * The insurer's limit on a buyer on `day`: the latest decision in effect (a refusal or a
 * cancellation is a named limit of 0; an application alone changes nothing), else the
 * discretionary limit unless the buyer's country is excluded; 0 outside the policy period.
 */
export function buyerLimitOn(
  terms: InsuranceTerms,
  decisions: readonly BuyerLimitDecision[],
  country: string,
  day: BusinessDate,
): { limitMinor: number; source: 'named' | 'discretionary' | 'none' } {
  if (!policyInForce(terms, day)) return { limitMinor: 0, source: 'none' };
  let latest: BuyerLimitDecision | null = null;
  for (const d of decisions) {
    if (d.status === 'requested' || d.effectiveOn > day) continue;
    if (
      !latest ||
      d.effectiveOn > latest.effectiveOn ||
      (d.effectiveOn === latest.effectiveOn && d.recordedAt > latest.recordedAt)
    )
      latest = d;
  }
  if (latest) {
    const granted =
      latest.status === 'refused' || latest.status === 'cancelled' ? 0 : (latest.approvedMinor ?? 0);
    return { limitMinor: granted, source: 'named' };
  }
  if (terms.excludedCountries.includes(country)) return { limitMinor: 0, source: 'none' };
  return { limitMinor: terms.discretionaryLimitMinor, source: 'discretionary' };
}
