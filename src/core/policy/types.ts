import type { RiskAppetite } from '../appetite/risk-appetite.js';
import type { CycleSettings, Regime } from '../cycle/regime.js';
import type { RiskClass } from '../rating/risk-class.js';
import type { AuthorityRule } from './authority.js';
import type { CommitteeRule } from './committee.js';

/** Graded outcomes, least to most severe. The most severe outcome of any rule decides. */
export const OUTCOMES = ['approve', 'approve_with_conditions', 'escalate', 'hold', 'decline'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export const SEVERITY: Readonly<Record<Outcome, number>> = {
  approve: 0,
  approve_with_conditions: 1,
  escalate: 2,
  hold: 3,
  decline: 4,
};

/** What an order over the available credit may still be approved with. */
export type ConditionKind = 'prepay_excess' | 'partial_release';

export interface Band<T> {
  /** Inclusive upper bound; null = no bound (the catch-all last band). */
  readonly max: number | null;
  readonly outcome: Outcome;
  readonly condition?: T;
}

/**
 * A credit policy as data: decision tables evaluated in a fixed order. A version of it is
 * activated, compiled once into a plain function, and recorded on every decision it takes.
 */
export interface CreditPolicyDocument {
  readonly name: string;
  readonly blacklist: { readonly outcome: Outcome };
  readonly stopSupply: { readonly outcome: Outcome };
  readonly fxRateMissing: { readonly outcome: Outcome };
  /** Orders above `maxOrderMinor` from a customer younger than `maxAgeDays`. */
  readonly newCustomer: {
    readonly maxAgeDays: number;
    readonly maxOrderMinor: number;
    readonly outcome: Outcome;
  };
  /** Bands by rating grade 1 (best) … 10 (worst). */
  readonly rating: {
    readonly unratedOutcome: Outcome;
    /**
     * For an unrated customer not cleared by screening: its first-contact screen found something (a
     * blacklisted twin, court or enforcement records) or never ran, and nobody has reviewed it
     * since. Absent: as any unrated customer.
     */
    readonly unscreenedOutcome?: Outcome;
    readonly bands: Band<never>[];
  };
  /**
   * Overdue weighed as amount × days past due × risk class: the index is
   * weight(riskClass) × Σ(overdue minor × days past due) ÷ limit — "days of the whole limit overdue".
   */
  readonly overdue: {
    readonly riskWeights: Readonly<Record<RiskClass, number>>;
    readonly bands: Band<never>[];
  };
  /**
   * What a live early-warning alert on the customer does to its orders (D2), by the alert's
   * severity; absent: nothing.
   */
  readonly warnings?: { readonly high: Outcome; readonly critical: Outcome };
  /** How much risk the book may carry (H3), measured daily on the live book; absent: the default. */
  readonly appetite?: RiskAppetite;
  /**
   * Periodic credit reviews (D3): months between reviews by risk class, and what an order gets
   * while the customer's review is past due; absent: the default cycle, no effect on orders.
   */
  readonly reviews?: {
    readonly cycleMonths: Readonly<Record<RiskClass, number>>;
    readonly overdueOutcome: Outcome;
  };
  /**
   * Credit insurance (B6): what an order gets when the customer's uninsured exposure after it
   * (exposure + order − the insurer's cover of it) exceeds `maxUninsuredMinor`; absent: nothing.
   */
  readonly insurance?: { readonly maxUninsuredMinor: number; readonly outcome: Outcome };
  /**
   * Letters of credit and guarantees (F2): the share of a customer's valid security that adds to
   * its limit in the check (1: in full; 0.8: a 20 % haircut); absent: security does not count.
   */
  readonly collateral?: { readonly creditShare: number };
  /** How the economic cycle is read and what each regime does to expected default; absent: the default. */
  readonly cycle?: CycleSettings;
  /** Bands by the excess over available credit, as a percentage of the limit in force. */
  readonly availableCredit: { readonly bands: Band<ConditionKind>[] };
  /** Payment terms offered by risk class, in days (0 = cash in advance). */
  readonly terms: Readonly<Record<RiskClass, number>>;
  /** Who may release held orders and approve limit changes; the built-in matrix when absent. */
  readonly authority?: AuthorityRule[];
  /** Limit changes that need the credit committee first; the built-in rule when absent, none when null. */
  readonly committee?: CommitteeRule | null;
}

/** The numbers a check is decided on; stored with each decision so a draft policy can replay it. */
export interface CheckInput {
  /** The order amount in the customer's currency. */
  readonly orderMinor: number;
  readonly customerAgeDays: number;
  readonly riskClass: RiskClass;
  readonly ratingGrade: number | null;
  /**
   * Whether the customer is cleared as screened: its first-contact screen found nothing, or a person
   * reviewed it (an approved credit application, a credit review). Absent in decisions recorded
   * before it was (they replay as before).
   */
  readonly screened?: boolean;
  readonly blacklisted: boolean;
  readonly stopSupply: boolean;
  readonly limitMinor: number;
  readonly exposureMinor: number;
  readonly overdueMinor: number;
  /** Σ overdue minor units × days past due. */
  readonly overdueMinorDays: number;
  readonly groupLimitMinor: number | null;
  readonly groupExposureMinor: number | null;
  readonly fxRateMissing: boolean;
  /** The most severe live early-warning alert on the customer (high or critical), if any. */
  readonly warning?: 'high' | 'critical' | null;
  /** Days the customer's periodic review is past due (0: not), when it has had one. */
  readonly reviewOverdueDays?: number;
  /** The insurer's limit on the buyer (null: not insured) and the share of a loss it pays, %. */
  readonly insuredLimitMinor?: number | null;
  readonly insuredCoveragePercent?: number | null;
  /** Valid letters of credit and guarantees held against the customer, in its currency. */
  readonly securedMinor?: number | null;
  /** The economic cycle's regime today, when the policy has overrides for regimes. */
  readonly regime?: Regime | null;
}

/**
 * Why a rule decided as it did: a stable code, the numbers it saw and the rule that fired. The
 * words for people are added at the boundary (explain.ts), in the reader's language.
 */
export interface Reason {
  readonly code: string;
  readonly outcome: Outcome;
  /** Which rule of the policy produced it, e.g. `availableCredit.bands[1]`. */
  readonly rule: string;
  readonly values: Readonly<Record<string, number | string | boolean | null>>;
}

export interface Condition {
  readonly code: ConditionKind;
  readonly amountMinor: number;
}

export interface Decision {
  readonly outcome: Outcome;
  /** What counts against credit now: the order, its part within available credit, or nothing. */
  readonly creditMinor: number;
  readonly conditions: Condition[];
  readonly reasons: Reason[];
  readonly termsDays: number;
  readonly policyVersion: number;
}

export type CompiledPolicy = (input: CheckInput) => Decision;
