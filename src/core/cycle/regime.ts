import { DomainError } from '../errors.js';
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
