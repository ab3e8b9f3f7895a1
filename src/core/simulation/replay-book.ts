import { UNSECURED_LGD } from '../appetite/risk-appetite.js';
import type { Regime } from '../cycle/regime.js';
import { invariant } from '../errors.js';
import type { CheckInput, CompiledPolicy, Outcome } from '../policy/types.js';
import type { RiskClass } from '../rating/risk-class.js';

/**
 * One sale of the book's history as a credit check would have met it, with everything known the
 * day it was asked for: the customer's grade by the model then in force, its age and purchases, and
 * which of its earlier sales were still open then (and how late). What the sale lost — written off,
 * or left 90+ days past due — and how long it stayed open are known only to the simulator, to score
 * the policy afterwards.
 */
export interface ReplayOrder {
  readonly customer: number;
  readonly day: number;
  readonly amountMinor: number;
  /** The realised loss; null for a sale refused in history, which history cannot value. */
  readonly lossMinor: number | null;
  /** The expected default of the customer that day (its grade's PD × the cycle's scale then): values what history cannot. */
  readonly pd: number;
  /** Σ open amount × days from issue until paid (or until the replay's as-of day). */
  readonly openMinorDays: number;
  /** The open amount at each month-end from `firstMonthEnd` (months since 1970-01) on. */
  readonly firstMonthEnd: number;
  readonly openAtMonthEnds: readonly number[];
  readonly grade: number | null;
  /** The economic regime of the sale's month: what a policy's regime overrides act on. */
  readonly regime: Regime | null;
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
  /** Realised plus expected loss. */
  readonly lossMinor: number;
  /** Write-offs and 90+ days past due of approved sales history can value, on the part sold on credit. */
  readonly realisedLossMinor: number;
  /** PD × LGD × the credit part of approved sales history cannot value (and any stress beyond history). */
  readonly expectedLossMinor: number;
  readonly approved: number;
  /** Approved with the excess over available credit paid in advance. */
  readonly conditioned: number;
  /** Declined, held or escalated: sales lost. */
  readonly lost: number;
  readonly lostMinor: number;
  /** Held or escalated: orders that would have waited in the queue for a person. */
  readonly queued: number;
  readonly queuedPerWeek: number;
  /** Average receivable ÷ average daily sale: Σ open amount × days ÷ sales. */
  readonly dsoDays: number | null;
  /** Month-end exposure over the replay: its mean and its peak. */
  readonly meanExposureMinor: number;
  readonly peakExposureMinor: number;
  /** Loss a year over the mean exposure: what the appetite's expected loss rate is measured against. */
  readonly annualLossRate: number | null;
  /** Exposure (open amount × days) in classes D and E, and in the largest single customer, over all. */
  readonly worstClassesShare: number | null;
  readonly singleNameShare: number | null;
}

export interface ReplayOptions {
  /** Stressed PDs: expected default × this on every approved sale (1: as history says). */
  readonly pdScale?: number;
  /** Per customer: sales approved and lost (to name the customers a policy affects most). */
  readonly byCustomer?: boolean;
}

export interface CustomerEffect {
  readonly customer: number;
  readonly salesMinor: number;
  readonly lostMinor: number;
}

const QUEUED: ReadonlySet<Outcome> = new Set(['escalate', 'hold']);

/**
 * Replays the book's sales in date order under a policy. Exposure and overdue are those of the
 * policy's own world: a sale it refused never became a receivable, so it weighs on no later check.
 */
export function replayOrders(
  orders: readonly ReplayOrder[],
  policy: ReplayPolicy,
  options: ReplayOptions = {},
): ReplayOutcome & { customers?: CustomerEffect[] } {
  const pdScale = options.pdScale ?? 1;
  invariant(pdScale > 0, 'the PD scale must be above 0');
  const creditShare = new Float64Array(orders.length);
  const byCustomer = new Map<number, { salesMinor: number; lostMinor: number }>();
  const exposureDays = new Map<number, number>();
  const months = monthSpan(orders);
  const monthEnd = new Float64Array(months.count);
  let salesMinor = 0;
  let realised = 0;
  let expected = 0;
  let approved = 0;
  let conditioned = 0;
  let lost = 0;
  let lostMinor = 0;
  let queued = 0;
  let openMinorDays = 0;
  let worstMinorDays = 0;
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
      regime: order.regime,
    };
    const decision = policy.decide(input);
    const effect = options.byCustomer
      ? (byCustomer.get(order.customer) ??
        byCustomer.set(order.customer, { salesMinor: 0, lostMinor: 0 }).get(order.customer))
      : undefined;
    if (decision.outcome !== 'approve' && decision.outcome !== 'approve_with_conditions') {
      lost++;
      lostMinor += order.amountMinor;
      if (QUEUED.has(decision.outcome)) queued++;
      if (effect) effect.lostMinor += order.amountMinor;
      return;
    }
    const share = order.amountMinor > 0 ? decision.creditMinor / order.amountMinor : 0;
    creditShare[index] = share;
    salesMinor += order.amountMinor;
    if (effect) effect.salesMinor += order.amountMinor;
    const creditMinor = order.amountMinor * share;
    if (order.lossMinor === null) expected += Math.min(1, order.pd * pdScale) * UNSECURED_LGD * creditMinor;
    else {
      realised += order.lossMinor * share;
      // Under stress, each sale also carries the default beyond what history saw.
      if (pdScale > 1) expected += Math.min(1, order.pd * (pdScale - 1)) * UNSECURED_LGD * creditMinor;
    }
    approved++;
    if (decision.outcome === 'approve_with_conditions') conditioned++;
    const minorDays = order.openMinorDays * share;
    openMinorDays += minorDays;
    if (order.riskClass === 'D' || order.riskClass === 'E') worstMinorDays += minorDays;
    exposureDays.set(order.customer, (exposureDays.get(order.customer) ?? 0) + minorDays);
    const at = order.firstMonthEnd - months.first;
    order.openAtMonthEnds.forEach((open, k) => {
      monthEnd[at + k] = (monthEnd[at + k] as number) + open * share;
    });
  });
  let meanExposure = 0;
  let peakExposure = 0;
  for (const x of monthEnd) {
    meanExposure += x / months.count;
    peakExposure = Math.max(peakExposure, x);
  }
  const lossMinor = Math.round(realised) + Math.round(expected);
  const weeks =
    orders.length > 0 ? ((orders.at(-1) as ReplayOrder).day - (orders[0] as ReplayOrder).day + 1) / 7 : 0;
  const ratio = (x: number, of: number, digits = 4) =>
    of > 0 ? Math.round((x / of) * 10 ** digits) / 10 ** digits : null;
  let largest = 0;
  for (const x of exposureDays.values()) largest = Math.max(largest, x);
  return {
    salesMinor,
    lossMinor,
    realisedLossMinor: Math.round(realised),
    expectedLossMinor: Math.round(expected),
    approved,
    conditioned,
    lost,
    lostMinor,
    queued,
    queuedPerWeek: weeks > 0 ? Math.round((queued / Math.max(1, weeks)) * 100) / 100 : 0,
    dsoDays: ratio(openMinorDays, salesMinor, 1),
    meanExposureMinor: Math.round(meanExposure),
    peakExposureMinor: Math.round(peakExposure),
    annualLossRate: ratio(lossMinor / Math.max(1, months.count / 12), meanExposure),
    worstClassesShare: ratio(worstMinorDays, openMinorDays),
    singleNameShare: ratio(largest, openMinorDays),
    ...(options.byCustomer
      ? { customers: [...byCustomer].map(([customer, e]) => ({ customer, ...e })) }
      : {}),
  };
}

/** The month-ends the replay spans: from its first sale's to the last month-end any sale was open at. */
function monthSpan(orders: readonly ReplayOrder[]): { first: number; count: number } {
  if (orders.length === 0) return { first: 0, count: 0 };
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const o of orders) {
    first = Math.min(first, o.firstMonthEnd);
    last = Math.max(last, o.firstMonthEnd + o.openAtMonthEnds.length - 1);
  }
  return { first, count: Math.max(0, last - first + 1) };
}
