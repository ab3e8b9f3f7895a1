import { invariant } from '../errors.js';

/** A feature column: numbers (null = missing) or category labels (null = missing). */
export type Column =
  | { readonly name: string; readonly kind: 'numeric'; readonly values: readonly (number | null)[] }
  | { readonly name: string; readonly kind: 'categorical'; readonly values: readonly (string | null)[] };

export interface NumericBinning {
  readonly type: 'numeric';
  /** Bin i holds values ≤ cuts[i]; the last bin holds the rest. Missing values have a bin of their own. */
  readonly cuts: number[];
}

export interface CategoricalBinning {
  readonly type: 'categorical';
  /** Levels kept as their own bin; rarer and unseen levels share the `other` bin. */
  readonly levels: string[];
}

export type Binning = NumericBinning | CategoricalBinning;

export interface BinningOptions {
  readonly maxBins: number;
  /** A numeric bin with fewer than this share of rows is merged into its neighbour. */
  readonly minBinShare: number;
  /** A category with fewer than this share of rows is pooled into `other`. */
  readonly minLevelShare: number;
}

export const DEFAULT_BINNING: BinningOptions = { maxBins: 10, minBinShare: 0.05, minLevelShare: 0.01 };

const sortedCache = new WeakMap<readonly (number | null)[], Float64Array>();

/**
 * A column's finite values in ascending order. Kept per values array (a fit never changes one):
 * choosing a scorecard bins the same columns in several fits, and the sort was most of binning.
 */
export function sortedFinite(values: readonly (number | null)[]): Float64Array {
  let sorted = sortedCache.get(values);
  if (!sorted) {
    // A typed array sorts numbers natively, many times faster than sort() with a comparator.
    sorted = Float64Array.from(values.filter((v): v is number => v !== null && Number.isFinite(v))).sort();
    sortedCache.set(values, sorted);
  }
  return sorted;
}

/**
 * Quantile cut points over the non-missing values. Repeated values collapse the cuts, so a
 * count-like column where most rows share a few values gets as many bins as it has distinct
 * levels; extreme values only ever land in the outer bins.
 */
function numericCuts(values: readonly (number | null)[], options: BinningOptions): number[] {
  const sorted = sortedFinite(values);
  if (sorted.length === 0) return [];
  const cuts: number[] = [];
  for (let k = 1; k < options.maxBins; k++) {
    const cut = sorted[
      Math.min(sorted.length - 1, Math.floor((k * sorted.length) / options.maxBins))
    ] as number;
    if (cut < (sorted.at(-1) as number) && (cuts.length === 0 || cut > (cuts.at(-1) as number)))
      cuts.push(cut);
  }
  // Merge thin bins into the next one: too few rows give a noisy weight of evidence.
  const minRows = Math.max(1, Math.ceil(options.minBinShare * values.length));
  const counts = new Array<number>(cuts.length + 1).fill(0);
  // The values are sorted: one sweep counts them into bins (bin = how many cuts lie below).
  let bin = 0;
  for (let i = 0; i < sorted.length; i++) {
    const v = sorted[i] as number;
    while (bin < cuts.length && (cuts[bin] as number) < v) bin += 1;
    counts[bin] = (counts[bin] as number) + 1;
  }
  // Removing cut i joins bin i and bin i + 1; a thin last bin joins the one before it.
  for (let i = 0; i < cuts.length; ) {
    const thin =
      (counts[i] as number) < minRows || (i === cuts.length - 1 && (counts[i + 1] as number) < minRows);
    if (thin) {
      counts[i + 1] = (counts[i + 1] as number) + (counts[i] as number);
      counts.splice(i, 1);
      cuts.splice(i, 1);
    } else {
      i += 1;
    }
  }
  return cuts;
}

export function numericBin(cuts: readonly number[], value: number): number {
  let lo = 0;
  let hi = cuts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (value <= (cuts[mid] as number)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

export function fitBinning(column: Column, options: BinningOptions = DEFAULT_BINNING): Binning {
  if (column.kind === 'numeric') return { type: 'numeric', cuts: numericCuts(column.values, options) };
  const counts = new Map<string, number>();
  for (const v of column.values) if (v !== null) counts.set(v, (counts.get(v) ?? 0) + 1);
  const minRows = options.minLevelShare * column.values.length;
  const levels = [...counts]
    .filter(([, n]) => n >= minRows)
    .map(([level]) => level)
    .sort();
  return { type: 'categorical', levels };
}

/**
 * The bin index of a value: numeric bins 0…cuts.length, then the missing bin; categorical levels
 * 0…levels.length − 1, then `other`, then missing.
 */
export function binOf(binning: Binning, value: number | string | null): number {
  if (binning.type === 'numeric') {
    if (value === null || typeof value !== 'number' || Number.isNaN(value)) return binning.cuts.length + 1;
    return numericBin(binning.cuts, value);
  }
  if (value === null) return binning.levels.length + 1;
  const i = binning.levels.indexOf(String(value));
  return i >= 0 ? i : binning.levels.length;
}

export function binCount(binning: Binning): number {
  return binning.type === 'numeric' ? binning.cuts.length + 2 : binning.levels.length + 2;
}

export interface WoeTable {
  /** Weight of evidence per bin: ln(share of goods ÷ share of bads), +0.5 smoothing per cell. */
  readonly woe: number[];
  readonly goods: number[];
  readonly bads: number[];
  readonly iv: number;
}

export function woeTable(bins: readonly number[], outcomes: readonly number[], size: number): WoeTable {
  invariant(bins.length === outcomes.length, 'one bin per outcome');
  const goods = new Array<number>(size).fill(0);
  const bads = new Array<number>(size).fill(0);
  for (let i = 0; i < bins.length; i++) {
    const b = bins[i] as number;
    if (outcomes[i] === 1) bads[b] = (bads[b] as number) + 1;
    else goods[b] = (goods[b] as number) + 1;
  }
  const totalGood = goods.reduce((s, v) => s + v, 0) + 0.5 * size;
  const totalBad = bads.reduce((s, v) => s + v, 0) + 0.5 * size;
  let iv = 0;
  const woe = goods.map((g, i) => {
    const shareGood = (g + 0.5) / totalGood;
    const shareBad = ((bads[i] as number) + 0.5) / totalBad;
    const w = Math.log(shareGood / shareBad);
    // Empty bins (e.g. no missing values in training) carry no evidence and add nothing to IV.
    if (g + (bads[i] as number) === 0) return 0;
    iv += (shareGood - shareBad) * w;
    return w;
  });
  return { woe, goods, bads, iv };
}
