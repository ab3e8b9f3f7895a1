import { compilePolicy } from '../policy/compile-policy.js';
import { DEFAULT_POLICY } from '../policy/default-policy.js';
import type { Band, CreditPolicyDocument } from '../policy/types.js';
import { RISK_CLASSES, type RiskClass } from '../rating/risk-class.js';
import type { ReplayOrder, ReplayPolicy } from './replay-book.js';

/** A customer younger than this, or with no purchases in the last year, has the new-customer limit. */
export const NEW_CUSTOMER_DAYS = 90;

/**
 * The policy most ERP users run: each customer's limit a fixed multiple of its monthly purchases,
 * and overdue blocks (at `overdueTolerance` limit-days; 0: any overdue invoice). No rating.
 */
export interface BaselineParams {
  readonly family: 'static';
  readonly multiple: number;
  readonly overdueTolerance: number;
  readonly newCustomerLimitMinor: number;
}

/**
 * Fulcrum's family: limits by risk class from the behavioural grade in force, a grade cut-off, an
 * overdue tolerance weighed by risk class, and the excess over the limit sold against prepayment.
 */
export interface FulcrumParams {
  readonly family: 'fulcrum';
  /** Grades above it (worse) are declined; 10 declines none. */
  readonly gradeCutoff: number;
  readonly multiples: Readonly<Record<RiskClass, number>>;
  /** How much each class's overdue weighs against the tolerance: a good payer a few days late is not a bad one. */
  readonly overdueWeights: Readonly<Record<RiskClass, number>>;
  readonly overdueTolerance: number;
  /** The excess over available credit sold against prepayment, up to this % of the limit (0: none). */
  readonly prepayExcessPercent: number;
  readonly newCustomerLimitMinor: number;
  /** Decline a customer's orders while an early-warning alert of this severity or worse is live. */
  readonly declineOnWarning: 'high' | 'critical' | 'never';
}

export type FamilyParams = BaselineParams | FulcrumParams;

const approveAll: Band<never>[] = [{ max: null, outcome: 'approve' }];

/**
 * A family's policy: the default's tables with the family's own. Neither inherits the default's
 * early-warning or review rules — the static baseline has none (that is what it stands for), and
 * Fulcrum's family sets what warnings do as a parameter of its own.
 */
function document(name: string, changes: Partial<CreditPolicyDocument>): CreditPolicyDocument {
  const { warnings: _warnings, reviews: _reviews, appetite: _appetite, ...tables } = DEFAULT_POLICY;
  return {
    ...tables,
    name,
    newCustomer: { maxAgeDays: 0, maxOrderMinor: 0, outcome: 'approve' },
    ...changes,
  };
}

function overdueBands(tolerance: number): Band<never>[] {
  return [
    { max: tolerance, outcome: 'approve' },
    { max: null, outcome: 'decline' },
  ];
}

const isNew = (order: ReplayOrder) => order.ageDays < NEW_CUSTOMER_DAYS || order.monthlyPurchasesMinor === 0;

/** The candidate as a policy document (what picking it drafts) and the limit rule beside it. */
export function candidatePolicy(params: FamilyParams): {
  document: CreditPolicyDocument;
  replay: ReplayPolicy;
} {
  if (params.family === 'static') {
    const doc = document('Static baseline', {
      rating: { unratedOutcome: 'approve', bands: approveAll },
      overdue: {
        riskWeights: { A: 1, B: 1, C: 1, D: 1, E: 1 },
        bands: overdueBands(params.overdueTolerance),
      },
      availableCredit: { bands: [{ max: null, outcome: 'decline' }] },
    });
    const limitMinor = (o: ReplayOrder) =>
      isNew(o)
        ? Math.max(params.newCustomerLimitMinor, params.multiple * o.monthlyPurchasesMinor)
        : params.multiple * o.monthlyPurchasesMinor;
    return { document: doc, replay: { decide: compilePolicy(doc, 0), limitMinor } };
  }
  const doc = document('Frontier candidate', {
    warnings: {
      high: params.declineOnWarning === 'high' ? 'decline' : 'approve',
      critical: params.declineOnWarning === 'never' ? 'approve' : 'decline',
    },
    rating: {
      unratedOutcome: 'approve',
      bands:
        params.gradeCutoff >= 10
          ? approveAll
          : [
              { max: params.gradeCutoff, outcome: 'approve' },
              { max: null, outcome: 'decline' },
            ],
    },
    overdue: {
      riskWeights: DEFAULT_POLICY.overdue.riskWeights,
      bands: overdueBands(params.overdueTolerance),
    },
    availableCredit: {
      bands:
        params.prepayExcessPercent > 0
          ? [
              {
                max: params.prepayExcessPercent,
                outcome: 'approve_with_conditions',
                condition: 'prepay_excess',
              },
              { max: null, outcome: 'decline' },
            ]
          : [{ max: null, outcome: 'decline' }],
    },
  });
  const limitMinor = (o: ReplayOrder) => {
    const byClass = params.multiples[o.riskClass] * o.monthlyPurchasesMinor;
    return isNew(o) ? Math.max(params.newCustomerLimitMinor, byClass) : byClass;
  };
  return { document: doc, replay: { decide: compilePolicy(doc, 0), limitMinor } };
}

/** A seeded generator (mulberry32): the same seed draws the same candidates on every machine. */
export function seededUniform(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const TOLERANCES = [0, 0.5, 1, 2, 3, 5, 8, 12, 20, 30, 50, 1e9];
const round2 = (x: number) => Math.round(x * 100) / 100;

/** The static family on a grid: every multiple × overdue tolerance × new-customer limit. */
export function baselineGrid(newCustomerScaleMinor: number): BaselineParams[] {
  const grid: BaselineParams[] = [];
  for (const multiple of [0.1, 0.2, 0.3, 0.4, 0.5, 0.75, 1, 1.25, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10, 15])
    for (const overdueTolerance of TOLERANCES)
      for (const scale of [0, 1, 3])
        grid.push({
          family: 'static',
          multiple,
          overdueTolerance,
          newCustomerLimitMinor: Math.round(scale * newCustomerScaleMinor),
        });
  return grid;
}

/** A random Fulcrum candidate: multiples that fall (weakly) from class A to E. */
export function randomFulcrum(uniform: () => number, newCustomerScaleMinor: number): FulcrumParams {
  const pick = <T>(items: readonly T[]) => items[Math.floor(uniform() * items.length)] as T;
  let multiple = 2 + uniform() * 13;
  let weight = uniform() * 0.5;
  const multiples = {} as Record<RiskClass, number>;
  const overdueWeights = {} as Record<RiskClass, number>;
  for (const riskClass of RISK_CLASSES) {
    multiples[riskClass] = round2(multiple);
    overdueWeights[riskClass] = round2(weight);
    multiple *= 0.4 + uniform() * 0.6;
    weight = weight * (1 + uniform() * 3) + 0.05;
  }
  return {
    family: 'fulcrum',
    gradeCutoff: pick([6, 7, 8, 9, 10]),
    multiples,
    overdueWeights,
    overdueTolerance: pick(TOLERANCES),
    prepayExcessPercent: pick([0, 0, 10, 25, 50]),
    newCustomerLimitMinor: Math.round(pick([0, 1, 2, 3, 5]) * newCustomerScaleMinor),
    declineOnWarning: pick(['high', 'critical', 'never'] as const),
  };
}

/** A neighbour of a good candidate: the adaptive half of the search. */
export function perturbFulcrum(params: FulcrumParams, uniform: () => number): FulcrumParams {
  const nudge = (x: number) => round2(Math.max(0.1, x * (0.75 + uniform() * 0.5)));
  const step = <T>(items: readonly T[], value: T) => {
    const at = Math.max(0, items.indexOf(value));
    const next = at + (uniform() < 0.5 ? -1 : 1);
    return items[Math.min(items.length - 1, Math.max(0, next))] as T;
  };
  const multiples = {} as Record<RiskClass, number>;
  const overdueWeights = {} as Record<RiskClass, number>;
  for (const riskClass of RISK_CLASSES) {
    multiples[riskClass] = nudge(params.multiples[riskClass]);
    overdueWeights[riskClass] = nudge(params.overdueWeights[riskClass]);
  }
  return {
    ...params,
    multiples,
    overdueWeights,
    gradeCutoff: uniform() < 0.3 ? step([6, 7, 8, 9, 10], params.gradeCutoff) : params.gradeCutoff,
    overdueTolerance: uniform() < 0.3 ? step(TOLERANCES, params.overdueTolerance) : params.overdueTolerance,
  };
}
