/**
 * The default credit policy written by hand as straight-line TypeScript: the speed reference for
 * the compiled policy, and (in test/core/policy.test.ts) proof that both decide alike, reason for
 * reason and number for number.
 */
import type { CheckInput, Condition, Decision, Outcome, Reason } from '../src/core/policy/types.js';

const SEVERITY = { approve: 0, approve_with_conditions: 1, escalate: 2, hold: 3, decline: 4 } as const;
const WEIGHTS = { A: 0.5, B: 0.75, C: 1, D: 1.5, E: 2 } as const;
const TERMS = { A: 90, B: 60, C: 45, D: 30, E: 0 } as const;

export function handwrittenDefaultPolicy(input: CheckInput): Decision {
  const reasons: Reason[] = [];
  if (input.blacklisted)
    reasons.push({ code: 'customer_blacklisted', outcome: 'decline', rule: 'blacklist', values: {} });
  if (input.stopSupply)
    reasons.push({ code: 'stop_supply', outcome: 'hold', rule: 'stopSupply', values: {} });
  if (input.fxRateMissing)
    reasons.push({ code: 'fx_rate_missing', outcome: 'hold', rule: 'fxRateMissing', values: {} });
  if (input.customerAgeDays < 90 && input.orderMinor > 20_000_000) {
    reasons.push({
      code: 'new_customer_cap_exceeded',
      outcome: 'escalate',
      rule: 'newCustomer',
      values: { customerAgeDays: input.customerAgeDays, capMinor: 20_000_000, orderMinor: input.orderMinor },
    });
  }
  if (input.ratingGrade === null && input.screened === false)
    reasons.push({
      code: 'unscreened_customer',
      outcome: 'escalate',
      rule: 'rating.unscreenedOutcome',
      values: {},
    });
  if (input.ratingGrade !== null && input.ratingGrade > 6) {
    const decline = input.ratingGrade > 8;
    reasons.push({
      code: 'rating_below_cutoff',
      outcome: decline ? 'decline' : 'escalate',
      rule: decline ? 'rating.bands[2]' : 'rating.bands[1]',
      values: { ratingGrade: input.ratingGrade },
    });
  }
  if (input.overdueMinorDays > 0) {
    const weight = WEIGHTS[input.riskClass];
    const index = (weight * input.overdueMinorDays) / Math.max(input.limitMinor, 1);
    const band = index <= 3 ? 0 : index <= 15 ? 1 : 2;
    const outcome: Outcome = band === 0 ? 'approve' : band === 1 ? 'escalate' : 'hold';
    reasons.push({
      code: band === 0 ? 'overdue_tolerated' : 'overdue_too_high',
      outcome,
      rule: `overdue.bands[${band}]`,
      values: {
        overdueMinor: input.overdueMinor,
        overdueIndex: Math.round(index * 100) / 100,
        riskWeight: weight,
      },
    });
  }
  const customerAvailable = input.limitMinor - input.exposureMinor;
  const groupAvailable =
    input.groupLimitMinor === null || input.groupExposureMinor === null
      ? Number.POSITIVE_INFINITY
      : input.groupLimitMinor - input.groupExposureMinor;
  const groupBinds = groupAvailable < customerAvailable;
  const available = Math.min(customerAvailable, groupAvailable);
  const limit = groupBinds ? (input.groupLimitMinor as number) : input.limitMinor;
  let creditMinor = input.orderMinor;
  const conditions: Condition[] = [];
  if (input.orderMinor <= available) {
    reasons.push({
      code: 'within_available_credit',
      outcome: 'approve',
      rule: 'availableCredit',
      values: { orderMinor: input.orderMinor, availableMinor: available, limitMinor: limit },
    });
  } else {
    const excess = input.orderMinor - Math.max(available, 0);
    const percent = limit > 0 ? (excess * 100) / limit : Number.POSITIVE_INFINITY;
    const band = percent <= 10 ? 0 : percent <= 25 ? 1 : 2;
    reasons.push({
      code: groupBinds ? 'exceeds_group_available_credit' : 'exceeds_available_credit',
      outcome: band === 0 ? 'approve_with_conditions' : band === 1 ? 'escalate' : 'hold',
      rule: `availableCredit.bands[${band}]`,
      values: {
        orderMinor: input.orderMinor,
        availableMinor: available,
        excessMinor: excess,
        excessPercent: Number.isFinite(percent) ? Math.round(percent * 100) / 100 : null,
        limitMinor: limit,
      },
    });
    creditMinor = Math.max(available, 0);
    if (band === 0) conditions.push({ code: 'prepay_excess', amountMinor: excess });
  }
  let outcome: Outcome = 'approve';
  for (const r of reasons) if (SEVERITY[r.outcome] > SEVERITY[outcome]) outcome = r.outcome;
  if (outcome !== 'approve' && outcome !== 'approve_with_conditions') creditMinor = 0;
  return {
    outcome,
    creditMinor,
    conditions: outcome === 'approve_with_conditions' ? conditions : [],
    reasons,
    termsDays: TERMS[input.riskClass],
    policyVersion: 1,
  };
}
