import { invariant } from '../errors.js';
import {
  type Binning,
  type BinningOptions,
  binCount,
  binOf,
  type Column,
  DEFAULT_BINNING,
  fitBinning,
  sortedFinite,
  type WoeTable,
  woeTable,
} from './binning.js';
import { fitLogisticColumns, predictLogistic } from './logistic.js';

export interface ScorecardFeature {
  readonly name: string;
  readonly binning: Binning;
  readonly woe: number[];
  readonly iv: number;
  /**
   * Absent: the feature enters the regression as the WoE of its bin. Present: as its value clipped
   * to [lo, hi] and standardised, (v − center) ÷ scale, a missing value as 0 (the centre) — kept
   * where plain inputs ranked better on validation rows than bins (see scorecard-choice.ts).
   */
  readonly linear?: LinearTransform;
}

export interface LinearTransform {
  readonly center: number;
  readonly scale: number;
  readonly lo: number;
  readonly hi: number;
}

/** What the regression multiplies for one value of a feature. */
export function featureValue(feature: ScorecardFeature, value: number | string | null): number {
  const t = feature.linear;
  if (!t) return feature.woe[binOf(feature.binning, value)] ?? 0;
  if (typeof value !== 'number' || !Number.isFinite(value)) return 0;
  return (Math.min(t.hi, Math.max(t.lo, value)) - t.center) / t.scale;
}

/** Points scaling (A2): `baseScore` points at odds good:bad of `baseOdds`, `pdo` points to double the odds. */
export interface Scaling {
  readonly baseScore: number;
  readonly baseOdds: number;
  readonly pdo: number;
}

export const DEFAULT_SCALING: Scaling = { baseScore: 600, baseOdds: 20, pdo: 50 };

export interface ScorecardModel {
  readonly format: 'fulcrum-model/1';
  readonly kind: 'scorecard';
  readonly target: string;
  readonly features: ScorecardFeature[];
  readonly intercept: number;
  readonly coefficients: number[];
  readonly scaling: Scaling;
  readonly training: {
    readonly rows: number;
    readonly badRate: number;
    readonly dropped: { name: string; why: string }[];
  };
}

export interface ScorecardOptions {
  readonly binning?: BinningOptions;
  /**
   * Features with a lower information value are left out. The rule of thumb calls IV < 0.02
   * useless; 0.01 keeps weak features that still add in combination (measured in bench/).
   */
  readonly minIv?: number;
  /** Of two features whose WoE columns correlate more than this, the one with lower IV is left out. */
  readonly maxCorrelation?: number;
  readonly l2?: number;
  readonly scaling?: Scaling;
  /** Numeric columns that enter the regression as standardised values instead of the WoE of a bin. */
  readonly linear?: ReadonlySet<string>;
}

/** Clip at the 1st and 99th percentiles (extreme ratios), then centre and scale the rest. */
function linearTransform(values: readonly (number | null)[]): LinearTransform {
  const present = sortedFinite(values);
  if (present.length === 0) return { center: 0, scale: 1, lo: 0, hi: 0 };
  const at = (q: number) => present[Math.min(present.length - 1, Math.floor(q * present.length))] as number;
  const lo = at(0.01);
  const hi = at(0.99);
  let sum = 0;
  for (const v of present) sum += Math.min(hi, Math.max(lo, v));
  const center = sum / present.length;
  let squares = 0;
  for (const v of present) squares += (Math.min(hi, Math.max(lo, v)) - center) ** 2;
  const scale = Math.sqrt(squares / present.length);
  return { center, scale: scale > 0 ? scale : 1, lo, hi };
}

function correlation(a: Float64Array, b: Float64Array): number {
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i] as number;
    mb += b[i] as number;
  }
  ma /= n;
  mb /= n;
  let cov = 0;
  let va = 0;
  let vb = 0;
  for (let i = 0; i < n; i++) {
    const da = (a[i] as number) - ma;
    const db = (b[i] as number) - mb;
    cov += da * db;
    va += da * da;
    vb += db * db;
  }
  return va === 0 || vb === 0 ? 0 : cov / Math.sqrt(va * vb);
}

interface Binned {
  readonly binning: Binning;
  readonly bins: readonly number[];
  readonly table: WoeTable;
}

const binnedCache = new WeakMap<object, { outcomes: object; options: BinningOptions; binned: Binned }[]>();

/**
 * A column's bins and their weights of evidence against these outcomes. Kept per values array and
 * outcomes array (a fit never changes either): choosing a scorecard fits several forms on the same
 * rows, and most of their columns are the same.
 */
function binned(column: Column, outcomes: readonly number[], options: BinningOptions): Binned {
  const seen = binnedCache.get(column.values) ?? [];
  const hit = seen.find((s) => s.outcomes === outcomes && s.options === options);
  if (hit) return hit.binned;
  const binning = fitBinning(column, options);
  const bins = column.values.map((v) => binOf(binning, v));
  const result = { binning, bins, table: woeTable(bins, outcomes, binCount(binning)) };
  binnedCache.set(column.values, [...seen, { outcomes, options, binned: result }]);
  return result;
}

/**
 * Fits a scorecard: bin every column, weigh each bin by its WoE, keep the informative and
 * non-redundant features, and fit an L2 logistic regression on their WoE values.
 */
export function fitScorecard(
  columns: readonly Column[],
  outcomes: readonly number[],
  target: string,
  options: ScorecardOptions = {},
): ScorecardModel {
  invariant(columns.length > 0, 'at least one feature');
  const minIv = options.minIv ?? 0.01;
  const maxCorrelation = options.maxCorrelation ?? 0.95;
  const dropped: { name: string; why: string }[] = [];
  const candidates = columns
    .map((column) => {
      const { binning, bins, table } = binned(column, outcomes, options.binning ?? DEFAULT_BINNING);
      const linear =
        column.kind === 'numeric' && options.linear?.has(column.name)
          ? linearTransform(column.values)
          : undefined;
      const feature: ScorecardFeature = {
        name: column.name,
        binning,
        woe: table.woe,
        iv: table.iv,
        ...(linear ? { linear } : {}),
      };
      return {
        ...feature,
        x: linear
          ? Float64Array.from(column.values as readonly (number | null)[], (v) => featureValue(feature, v))
          : Float64Array.from(bins, (b) => table.woe[b] as number),
      };
    })
    .sort((a, b) => b.iv - a.iv);
  const kept: typeof candidates = [];
  for (const c of candidates) {
    if (c.iv < minIv) {
      dropped.push({ name: c.name, why: `information value ${c.iv.toFixed(4)} < ${minIv}` });
      continue;
    }
    const twin = kept.find((k) => Math.abs(correlation(k.x, c.x)) > maxCorrelation);
    if (twin) {
      dropped.push({ name: c.name, why: `correlates with ${twin.name} (|r| > ${maxCorrelation})` });
      continue;
    }
    kept.push(c);
  }
  invariant(kept.length > 0, 'no feature carries information about the target');
  const fit = fitLogisticColumns(
    kept.map((k) => k.x),
    outcomes,
    { l2: options.l2 ?? 1 },
  );
  return {
    format: 'fulcrum-model/1',
    kind: 'scorecard',
    target,
    features: kept.map(({ x: _values, ...feature }) => feature),
    intercept: fit.intercept,
    coefficients: fit.coefficients,
    scaling: options.scaling ?? DEFAULT_SCALING,
    training: {
      rows: outcomes.length,
      badRate: outcomes.reduce((s, y) => s + y, 0) / outcomes.length,
      dropped,
    },
  };
}

/** One applicant's values by feature name. */
export type Applicant = Readonly<Record<string, number | string | null>>;

/** The applicant's WoE (or standardised value) by feature: what the logistic part multiplies. */
export function woeVector(model: ScorecardModel, applicant: Applicant): number[] {
  return model.features.map((f) => featureValue(f, applicant[f.name] ?? null));
}

/** The values a feature can contribute: every bin's WoE, or the ends of a linear feature's range. */
function featureRange(feature: ScorecardFeature): number[] {
  const t = feature.linear;
  return t ? [(t.lo - t.center) / t.scale, (t.hi - t.center) / t.scale, 0] : feature.woe;
}

/** Probability of the bad event. */
export function scorecardPd(model: ScorecardModel, applicant: Applicant): number {
  return predictLogistic(model, woeVector(model, applicant));
}

/**
 * Points per feature: score = offset + factor × ln(odds good:bad), factor = PDO ÷ ln 2,
 * offset = base score − factor × ln(base odds); the intercept is spread evenly over the features
 * (points = −factor × (β·WoE + α/n) + offset/n), so the points add up to the score.
 */
export function scorecardPoints(model: ScorecardModel, applicant: Applicant) {
  const factor = model.scaling.pdo / Math.LN2;
  const offset = model.scaling.baseScore - factor * Math.log(model.scaling.baseOdds);
  const n = model.features.length;
  const woe = woeVector(model, applicant);
  const points = model.features.map((f, j) => {
    const beta = model.coefficients[j] as number;
    const here = -factor * (beta * (woe[j] as number) + model.intercept / n) + offset / n;
    const best = Math.max(
      ...featureRange(f).map((w) => -factor * (beta * w + model.intercept / n) + offset / n),
    );
    return { feature: f.name, points: here, pointsBelowBest: best - here };
  });
  return { score: points.reduce((s, p) => s + p.points, 0), points };
}

/** Reason codes: the features that cost the applicant the most points against their best bin. */
export function reasonCodes(model: ScorecardModel, applicant: Applicant, count = 4) {
  return scorecardPoints(model, applicant)
    .points.filter((p) => p.pointsBelowBest > 0.5)
    .sort((a, b) => b.pointsBelowBest - a.pointsBelowBest)
    .slice(0, count)
    .map((p) => ({ feature: p.feature, pointsLost: Math.round(p.pointsBelowBest * 10) / 10 }));
}
