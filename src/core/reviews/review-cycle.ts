import type { RiskClass } from '../rating/risk-class.js';
import { addMonths, type BusinessDate, daysBetween } from '../time/business-date.js';

/** Months between two credit reviews by risk class (D3): the riskier, the more often. */
export const DEFAULT_REVIEW_CYCLE_MONTHS: Readonly<Record<RiskClass, number>> = {
  A: 12,
  B: 12,
  C: 6,
  D: 3,
  E: 1,
};

export const LIMIT_DECISIONS = ['keep', 'raise', 'lower', 'stop'] as const;
export type LimitDecision = (typeof LIMIT_DECISIONS)[number];

/** When the next review falls: a cycle of the customer's class after this one. */
export function nextReviewOn(
  reviewedOn: BusinessDate,
  riskClass: RiskClass,
  cycleMonths: Readonly<Record<RiskClass, number>> = DEFAULT_REVIEW_CYCLE_MONTHS,
): BusinessDate {
  return addMonths(reviewedOn, cycleMonths[riskClass]);
}

/**
 * When a customer's review is due: the date its last review set, or — never reviewed — a cycle
 * after it started trading with us; and how many days past it today is (0 when not yet).
 */
export function reviewDue(
  next: BusinessDate | null,
  tradingSince: BusinessDate,
  riskClass: RiskClass,
  today: BusinessDate,
  cycleMonths: Readonly<Record<RiskClass, number>> = DEFAULT_REVIEW_CYCLE_MONTHS,
): { dueOn: BusinessDate; daysOverdue: number } {
  const dueOn = next ?? addMonths(tradingSince, cycleMonths[riskClass]);
  return { dueOn, daysOverdue: Math.max(0, daysBetween(dueOn, today)) };
}
