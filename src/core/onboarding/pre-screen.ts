import type { SignalType } from '../external-data/signals.js';
import { recommendLimit } from '../limits/recommend-limit.js';
import type { Severity } from '../monitoring/warning-rules.js';
import { type AltmanZone, altmanZDoublePrime, altmanZPrime, type Financials } from '../rating/altman.js';
import type { RiskClass } from '../rating/risk-class.js';

export const SCREEN_OUTCOMES = ['proceed', 'proceed_with_conditions', 'decline'] as const;
export type ScreenOutcome = (typeof SCREEN_OUTCOMES)[number];

export const SCREEN_CONDITIONS = [
  'lower_limit',
  'prepayment',
  'guarantee',
  'financial_statements',
  'identity_check',
] as const;
export type ScreenCondition = (typeof SCREEN_CONDITIONS)[number];

/** What a prospect asks for and tells about itself (A1), amounts in minor units of its currency. */
export interface ScreenRequest {
  readonly requestedLimitMinor: number;
  readonly requestedTermsDays: number;
  readonly expectedMonthlyPurchasesMinor: number;
  /** Balance sheet and income statement figures, when given; `manufacturer` picks Z′ over Z″. */
  readonly financials: (Financials & { readonly manufacturer?: boolean }) | null;
}

/** What Fulcrum already knows about the prospect. */
export interface ScreenFacts {
  /** A blacklisted customer with the same registration id, or (another id) the same name. */
  readonly blacklisted: { readonly by: 'registration_id' | 'name'; readonly customerName: string } | null;
  /** What outside sources reported about the same registration id, with how long ago. */
  readonly signals: readonly {
    readonly signalType: SignalType;
    readonly severity: Severity;
    readonly daysAgo: number;
  }[];
}

export interface ScreenReason {
  readonly code: string;
  readonly outcome: ScreenOutcome;
  readonly values: Readonly<Record<string, string | number | null>>;
}

export interface ScreenResult {
  readonly outcome: ScreenOutcome;
  readonly reasons: ScreenReason[];
  readonly conditions: ScreenCondition[];
  readonly altman: { readonly model: 'Z″' | 'Z′'; readonly z: number; readonly zone: AltmanZone } | null;
  readonly riskClass: RiskClass;
  readonly recommendedLimitMinor: number;
}

const RANK: Record<ScreenOutcome, number> = { proceed: 0, proceed_with_conditions: 1, decline: 2 };
const CLASS_OF_ZONE: Record<AltmanZone, RiskClass> = { safe: 'B', grey: 'C', distress: 'D' };
/** Outside signals this recent count at first contact. */
const SIGNAL_YEAR = 365;

/** What the book already knows counts at first contact: a blacklisted twin, recent outside signals. */
export function firstContactReasons(
  facts: ScreenFacts,
): (ScreenReason & { readonly condition?: ScreenCondition })[] {
  const reasons: (ScreenReason & { readonly condition?: ScreenCondition })[] = [];
  if (facts.blacklisted?.by === 'registration_id')
    reasons.push({
      code: 'blacklisted_registration',
      outcome: 'decline',
      values: { customerName: facts.blacklisted.customerName },
    });
  if (facts.blacklisted?.by === 'name')
    reasons.push({
      code: 'blacklisted_name',
      outcome: 'proceed_with_conditions',
      values: { customerName: facts.blacklisted.customerName },
      condition: 'identity_check',
    });
  for (const s of facts.signals.filter((s) => s.daysAgo <= SIGNAL_YEAR)) {
    if (s.severity === 'critical')
      reasons.push({
        code: 'outside_critical',
        outcome: 'decline',
        values: { signalType: s.signalType, daysAgo: s.daysAgo },
      });
    else if (s.severity === 'high')
      reasons.push({
        code: 'outside_high',
        outcome: 'proceed_with_conditions',
        values: { signalType: s.signalType, daysAgo: s.daysAgo },
        condition: 'guarantee',
      });
  }
  return reasons;
}

/** The worst outcome among reasons (proceed when there are none). */
export function worstOutcome(reasons: readonly { readonly outcome: ScreenOutcome }[]): ScreenOutcome {
  return reasons.reduce<ScreenOutcome>(
    (worst, r) => (RANK[r.outcome] > RANK[worst] ? r.outcome : worst),
    'proceed',
  );
}

/**
 * The pre-screen at first contact (A1): blacklist, outside signals, Altman's Z from the statements
 * when given, and the recommended-limit calculator → proceed, proceed with conditions, or decline,
 * each reason in a stable code with its figures (like an order decision's).
 */
export function preScreen(request: ScreenRequest, facts: ScreenFacts): ScreenResult {
  const reasons: ScreenReason[] = [];
  const conditions = new Set<ScreenCondition>();
  const because = (
    code: string,
    outcome: ScreenOutcome,
    values: ScreenReason['values'],
    condition?: ScreenCondition,
  ) => {
    reasons.push({ code, outcome, values });
    if (condition) conditions.add(condition);
  };

  for (const r of firstContactReasons(facts)) because(r.code, r.outcome, r.values, r.condition);

  let altman: ScreenResult['altman'] = null;
  if (request.financials) {
    const prime = request.financials.manufacturer ? altmanZPrime(request.financials) : null;
    const z = prime ?? altmanZDoublePrime(request.financials);
    if (z) altman = { model: prime ? 'Z′' : 'Z″', z: Math.round(z.z * 100) / 100, zone: z.zone };
  }
  if (altman?.zone === 'distress')
    because('altman_distress', 'proceed_with_conditions', { z: altman.z, model: altman.model }, 'prepayment');
  if (!request.financials) because('no_statements', 'proceed_with_conditions', {}, 'financial_statements');

  const riskClass: RiskClass = altman ? CLASS_OF_ZONE[altman.zone] : 'C';
  const { recommendedMinor } = recommendLimit({
    riskClass,
    expectedMonthlyPurchasesMinor: request.expectedMonthlyPurchasesMinor,
    termsDays: request.requestedTermsDays,
    netWorthMinor: request.financials ? request.financials.bookEquity : null,
    workingCapitalMinor: request.financials ? request.financials.workingCapital : null,
  });
  if (request.requestedLimitMinor > recommendedMinor)
    because(
      'above_recommended_limit',
      'proceed_with_conditions',
      { requestedMinor: request.requestedLimitMinor, recommendedMinor },
      'lower_limit',
    );

  const outcome = worstOutcome(reasons);
  return {
    outcome,
    reasons,
    conditions: outcome === 'decline' ? [] : [...conditions],
    altman,
    riskClass,
    recommendedLimitMinor: recommendedMinor,
  };
}
