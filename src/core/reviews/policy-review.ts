import type { RiskAppetite } from '../appetite/risk-appetite.js';
import type { Regime } from '../cycle/regime.js';
import { addDays, type BusinessDate, monthEnd } from '../time/business-date.js';

export const POLICY_REVIEW_REASONS = ['appetite_breach', 'regime_change', 'quarterly'] as const;
export type PolicyReviewReason = (typeof POLICY_REVIEW_REASONS)[number];

/** A review of the credit policy as a whole (H3), for the credit manager: why, about what, by when. */
export interface PolicyReviewDue {
  readonly reason: PolicyReviewReason;
  /** What it is about: the measure breached, the month the regime changed, the quarter. */
  readonly subject: string;
  readonly facts: Record<string, string | number | null>;
  readonly dueOn: BusinessDate;
}

/** Days the credit manager has to review the policy after a breach or a change of regime. */
export const POLICY_REVIEW_SLA_DAYS = 14;

/** The quarter a day falls in, e.g. 2026-Q4, and its last day. */
export function quarterOf(day: BusinessDate): { quarter: string; endsOn: BusinessDate } {
  const q = Math.floor((Number(day.slice(5, 7)) - 1) / 3) + 1;
  return {
    quarter: `${day.slice(0, 4)}-Q${q}`,
    endsOn: monthEnd(`${day.slice(0, 4)}-${String(q * 3).padStart(2, '0')}`),
  };
}

/** The latest change of regime by `day`: the month it happened, from what, to what; null with none. */
export function latestRegimeChange(
  readings: readonly { month: string; regime: Regime }[],
  day: BusinessDate,
): { month: string; from: Regime; to: Regime } | null {
  const known = readings.filter((r) => r.month <= day.slice(0, 7));
  for (let k = known.length - 1; k > 0; k--) {
    const [before, after] = [known[k - 1], known[k]] as [(typeof known)[number], (typeof known)[number]];
    if (before.regime !== after.regime) return { month: after.month, from: before.regime, to: after.regime };
  }
  return null;
}

/**
 * The policy reviews due on `day`: one per appetite measure breached, one when the economic cycle
 * changed regime, and one each quarter anyway — each only once (`raised` holds the reason and
 * subject of those already raised and still open, and of every quarter already reviewed).
 */
export function policyReviewsDue(input: {
  day: BusinessDate;
  breaches: readonly {
    measure: keyof RiskAppetite;
    value: number | null;
    limit: number;
    driver: string | null;
  }[];
  regimeChange: { month: string; from: Regime; to: Regime } | null;
  raised: ReadonlySet<string>;
}): PolicyReviewDue[] {
  const due: PolicyReviewDue[] = [];
  const soon = addDays(input.day, POLICY_REVIEW_SLA_DAYS);
  const add = (review: PolicyReviewDue) => {
    if (!input.raised.has(`${review.reason}:${review.subject}`)) due.push(review);
  };
  for (const b of input.breaches)
    add({
      reason: 'appetite_breach',
      subject: b.measure,
      facts: { value: b.value, limit: b.limit, driver: b.driver },
      dueOn: soon,
    });
  if (input.regimeChange)
    add({
      reason: 'regime_change',
      subject: input.regimeChange.month,
      facts: { from: input.regimeChange.from, to: input.regimeChange.to },
      dueOn: soon,
    });
  const { quarter, endsOn } = quarterOf(input.day);
  add({ reason: 'quarterly', subject: quarter, facts: {}, dueOn: endsOn });
  return due;
}
