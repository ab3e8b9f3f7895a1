/**
 * The default credit policy written by hand as straight-line TypeScript: the speed reference for
 * the compiled policy, and (in test/core/policy.test.ts) proof that both decide alike.
 */
import type { CheckInput, Condition, Decision, Outcome, Reason } from '../src/core/policy/types.js';

const SEVERITY = { approve: 0, approve_with_conditions: 1, escalate: 2, hold: 3, decline: 4 } as const;
const WEIGHTS = { A: 0.5, B: 0.75, C: 1, D: 1.5, E: 2 } as const;
const TERMS = { A: 90, B: 60, C: 45, D: 30, E: 0 } as const;

export function handwrittenDefaultPolicy(input: CheckInput): Decision {
  const reasons: Reason[] = [];
  let outcome = 'approve' as Outcome;
  const add = (code: string, o: Outcome, rule: string, message: string, values: Reason['values']) => {
    reasons.push({ code, outcome: o, rule, message, values });
    if (SEVERITY[o] > SEVERITY[outcome]) outcome = o;
  };
  if (input.blacklisted)
    add('customer_blacklisted', 'decline', 'blacklist', 'the customer is blacklisted', {});
  if (input.stopSupply) add('stop_supply', 'hold', 'stopSupply', 'supply to the customer is stopped', {});
  if (input.fxRateMissing) add('fx_rate_missing', 'hold', 'fxRateMissing', 'no exchange rate', {});
  if (input.customerAgeDays < 90 && input.orderMinor > 20_000_000) {
    add('new_customer_cap_exceeded', 'escalate', 'newCustomer', 'new customer cap', {});
  }
  if (input.ratingGrade !== null && input.ratingGrade > 6) {
    add(
      'rating_below_cutoff',
      input.ratingGrade <= 8 ? 'escalate' : 'decline',
      'rating.bands',
      'rating past cut-off',
      {},
    );
  }
  if (input.overdueMinorDays > 0) {
    const index = (WEIGHTS[input.riskClass] * input.overdueMinorDays) / Math.max(input.limitMinor, 1);
    const o: Outcome = index <= 3 ? 'approve' : index <= 15 ? 'escalate' : 'hold';
    add(o === 'approve' ? 'overdue_tolerated' : 'overdue_too_high', o, 'overdue.bands', 'overdue', {});
  }
  const customerAvailable = input.limitMinor - input.exposureMinor;
  const groupAvailable =
    input.groupLimitMinor === null || input.groupExposureMinor === null
      ? Number.POSITIVE_INFINITY
      : input.groupLimitMinor - input.groupExposureMinor;
  const available = Math.min(customerAvailable, groupAvailable);
  const bindingLimit =
    groupAvailable < customerAvailable ? (input.groupLimitMinor as number) : input.limitMinor;
  let creditMinor = input.orderMinor;
  const conditions: Condition[] = [];
  if (input.orderMinor <= available) {
    add('within_available_credit', 'approve', 'availableCredit', 'within available credit', {});
  } else {
    const excess = input.orderMinor - Math.max(available, 0);
    const percent = bindingLimit > 0 ? (excess * 100) / bindingLimit : Number.POSITIVE_INFINITY;
    const o: Outcome = percent <= 10 ? 'approve_with_conditions' : percent <= 25 ? 'escalate' : 'hold';
    add(
      groupAvailable < customerAvailable ? 'exceeds_group_available_credit' : 'exceeds_available_credit',
      o,
      'availableCredit.bands',
      'over',
      {},
    );
    creditMinor = Math.max(available, 0);
    if (o === 'approve_with_conditions')
      conditions.push({ code: 'prepay_excess', amountMinor: excess, message: 'prepay' });
  }
  if (outcome !== 'approve' && outcome !== 'approve_with_conditions') creditMinor = 0;
  return {
    outcome,
    creditMinor,
    conditions: outcome === 'approve_with_conditions' ? conditions : [],
    reasons,
    termsDays: TERMS[input.riskClass],
    policyVersion: 0,
  };
}
