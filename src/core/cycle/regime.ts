import { DomainError } from '../errors.js';
import { OUTCOMES, type Outcome } from '../policy/types.js';
import type { BusinessDate } from '../time/business-date.js';

export const REGIMES = ['expansion', 'neutral', 'contraction'] as const;
export type Regime = (typeof REGIMES)[number];

/**
 * How the economic cycle is read (H3), in the credit policy: a monthly indicator (a PMI, a
 * business-climate index 景气指数) below `contractionBelow` is a contraction, above
 * `expansionAbove` an expansion; each regime scales expected default (PD) by its factor.
 */
export interface CycleSettings {
  readonly contractionBelow: number;
  readonly expansionAbove: number;
  readonly pdScale: Readonly<Record<Regime, number>>;
  /** What the live check does differently while a regime lasts (absent: nothing). */
  readonly overrides?: Readonly<Partial<Record<Regime, RegimeOverride>>>;
}

/**
 * A regime's policy override: limits scaled (a contraction tightens, an expansion may loosen a
 * little), a rating cut-off of its own, and shorter payment terms.
 */
export interface RegimeOverride {
  /** Every customer's limit × this in the check (0 < m ≤ 2), said in the decision's reasons. */
  readonly limitMultiplier?: number;
  /** A rating grade worse than this meets `outcome` (default escalate). */
  readonly maxGrade?: number;
  readonly outcome?: Outcome;
  /** Payment terms offered at most this many days. */
  readonly maxTermsDays?: number;
}

/** A PMI-style default: 50 is the line between growth and shrinking, with a band around it. */
export const DEFAULT_CYCLE: CycleSettings = {
  contractionBelow: 49.5,
  expansionAbove: 51,
  pdScale: { expansion: 0.9, neutral: 1, contraction: 1.3 },
};

export function validateCycle(cycle: CycleSettings): void {
  const fail = (field: string, message: string): never => {
    throw new DomainError('invalid_policy', `${field}: ${message}`, field);
  };
  if (!Number.isFinite(cycle?.contractionBelow)) fail('cycle.contractionBelow', 'must be a number');
  if (!Number.isFinite(cycle?.expansionAbove)) fail('cycle.expansionAbove', 'must be a number');
  if (cycle.expansionAbove < cycle.contractionBelow)
    fail('cycle.expansionAbove', 'must not be below cycle.contractionBelow');
  for (const regime of REGIMES) {
    const k = cycle.pdScale?.[regime];
    if (!(typeof k === 'number' && k > 0 && k <= 10))
      fail(`cycle.pdScale.${regime}`, 'must be a factor above 0, at most 10');
  }
  for (const [regime, o] of Object.entries(cycle.overrides ?? {})) {
    const at = `cycle.overrides.${regime}`;
    if (!(REGIMES as readonly string[]).includes(regime)) fail(at, `must be one of ${REGIMES.join(', ')}`);
    if (o.limitMultiplier !== undefined && !(o.limitMultiplier > 0 && o.limitMultiplier <= 2))
      fail(`${at}.limitMultiplier`, 'must be a factor above 0, at most 2');
    if (o.maxGrade !== undefined && !(Number.isInteger(o.maxGrade) && o.maxGrade >= 1 && o.maxGrade <= 10))
      fail(`${at}.maxGrade`, 'must be a grade from 1 to 10');
    if (o.outcome !== undefined && !OUTCOMES.includes(o.outcome))
      fail(`${at}.outcome`, `must be one of ${OUTCOMES.join(', ')}`);
    if (
      o.maxTermsDays !== undefined &&
      !(Number.isInteger(o.maxTermsDays) && o.maxTermsDays >= 0 && o.maxTermsDays <= 365)
    )
      fail(`${at}.maxTermsDays`, 'must be whole days from 0 to 365');
  }
}

export function regimeOf(value: number, cycle: CycleSettings): Regime {
  if (value < cycle.contractionBelow) return 'contraction';
  if (value > cycle.expansionAbove) return 'expansion';
  return 'neutral';
}

/** One month's reading of the indicator. */
export interface CycleReading {
  readonly month: string;
  readonly value: number;
}

/** The latest reading for a month that had begun by `day` (nothing published for a later month is used). */
export function readingOn<R extends CycleReading>(series: readonly R[], day: BusinessDate): R | null {
  const month = day.slice(0, 7);
  let latest: R | null = null;
  for (const r of series) if (r.month <= month && (!latest || r.month > latest.month)) latest = r;
  return latest;
}
