import { invariant } from '../errors.js';
import type { CheckInput, CompiledPolicy } from '../policy/types.js';
import type { RiskClass } from '../rating/risk-class.js';

/**
 * One sale of the book's history as a credit check would have met it, with everything known the
 * day it was asked for: the customer's grade by the model then in force, its age and purchases, and
 * which of its earlier sales were still open then (and how late). What the sale lost — written off,
 * or left 90+ days past due — is known only to the simulator, to score the policy afterwards.
 */
export interface ReplayOrder {
  readonly customer: number;
  readonly day: number;
  readonly amountMinor: number;
  readonly lossMinor: number;
  readonly grade: number | null;
  /** The most severe early-warning rule firing for the customer the day before (high or critical). */
  readonly warning: 'high' | 'critical' | null;
  readonly riskClass: RiskClass;
  readonly ageDays: number;
  /** Invoiced to the customer over the 12 months before the day, per month. */
  readonly monthlyPurchasesMinor: number;
  /** The customer's earlier sales still open on the day: their index here, open amount, days past due. */
  readonly openBefore: readonly {
    readonly order: number;
    readonly openMinor: number;
    readonly daysPastDue: number;
  }[];
}

/** A policy to replay: the compiled decision tables (the live check's code) and its limit rule. */
export interface ReplayPolicy {
  readonly decide: CompiledPolicy;
  limitMinor(order: ReplayOrder): number;
}

export interface ReplayOutcome {
  /** Sales the policy let happen (in full, also where it asked for the excess in advance). */
  readonly salesMinor: number;
  /** Their realised loss, on the part sold on credit. */
  readonly lossMinor: number;
  readonly approved: number;
  /** Approved with the excess over available credit paid in advance. */
  readonly conditioned: number;
  /** Declined, held or escalated: sales lost. */
  readonly lost: number;
  readonly lostMinor: number;
}

/**
 * Replays the book's sales in date order under a policy. Exposure and overdue are those of the
 * policy's own world: a sale it refused never became a receivable, so it weighs on no later check.
 */
export function replayOrders(orders: readonly ReplayOrder[], policy: ReplayPolicy): ReplayOutcome {
  const creditShare = new Float64Array(orders.length);
  let salesMinor = 0;
  let lossMinor = 0;
  let approved = 0;
  let conditioned = 0;
  let lost = 0;
  let lostMinor = 0;
  orders.forEach((order, index) => {
    let exposureMinor = 0;
    let overdueMinor = 0;
    let overdueMinorDays = 0;
    for (const open of order.openBefore) {
      invariant(open.order < index, 'a sale can only see earlier sales');
      const share = creditShare[open.order] as number;
      if (share === 0) continue;
      const minor = open.openMinor * share;
      exposureMinor += minor;
      if (open.daysPastDue > 0) {
        overdueMinor += minor;
        overdueMinorDays += minor * open.daysPastDue;
      }
    }
    const input: CheckInput = {
      orderMinor: order.amountMinor,
      customerAgeDays: order.ageDays,
      riskClass: order.riskClass,
      ratingGrade: order.grade,
      blacklisted: false,
      stopSupply: false,
      limitMinor: Math.round(policy.limitMinor(order)),
      exposureMinor: Math.round(exposureMinor),
      overdueMinor: Math.round(overdueMinor),
      overdueMinorDays: Math.round(overdueMinorDays),
      groupLimitMinor: null,
      groupExposureMinor: null,
      fxRateMissing: false,
      warning: order.warning,
    };
    const decision = policy.decide(input);
    if (decision.outcome === 'approve' || decision.outcome === 'approve_with_conditions') {
      const share = order.amountMinor > 0 ? decision.creditMinor / order.amountMinor : 0;
      creditShare[index] = share;
      salesMinor += order.amountMinor;
      lossMinor += order.lossMinor * share;
      approved++;
      if (decision.outcome === 'approve_with_conditions') conditioned++;
    } else {
      lost++;
      lostMinor += order.amountMinor;
    }
  });
  return {
    salesMinor,
    lossMinor: Math.round(lossMinor),
    approved,
    conditioned,
    lost,
    lostMinor,
  };
}
