import { invariant } from '../errors.js';
import type { Column } from './binning.js';

/**
 * Gradient-boosted decision trees on histogram bins (the challenger model, A4): logistic loss,
 * shrinkage, depth and leaf-size limits, L2 on leaf values, early stopping on a validation share.
 * Numeric columns are cut at up to 255 quantiles; categories are ordered by their bad rate so a
 * single threshold can separate them; missing values get a bin of their own.
 */
export interface GbdtOptions {
  readonly maxTrees: number;
  readonly learningRate: number;
  readonly maxDepth: number;
  readonly minSamplesLeaf: number;
  readonly l2: number;
  readonly maxBins: number;
  readonly validationShare: number;
  /** Stop when the validation loss has not improved for this many trees. */
  readonly patience: number;
  readonly seed: number;
}

export const DEFAULT_GBDT: GbdtOptions = {
  maxTrees: 300,
  learningRate: 0.1,
  maxDepth: 5,
  minSamplesLeaf: 20,
  l2: 1,
  maxBins: 255,
  validationShare: 0.1,
  patience: 15,
  seed: 42,
};

type FeatureBinner =
  | { readonly name: string; readonly type: 'numeric'; readonly cuts: number[] }
  | { readonly name: string; readonly type: 'categorical'; readonly order: string[] };

/** A split node (`feature`, bins ≤ `threshold` go left) or a leaf (`value`, in log-odds). */
export type TreeNode =
  | {
      readonly feature: number;
      readonly threshold: number;
      readonly left: TreeNode;
      readonly right: TreeNode;
      readonly gain: number;
    }
  | { readonly value: number };

export interface GbdtModel {
  readonly format: 'fulcrum-model/1';
  readonly kind: 'gbdt';
  readonly target: string;
  readonly binners: FeatureBinner[];
  readonly baseScore: number;
  readonly learningRate: number;
  readonly trees: TreeNode[];
  readonly training: { readonly rows: number; readonly badRate: number; readonly bestIteration: number };
}

function binnerFor(column: Column, outcomes: readonly number[], maxBins: number): FeatureBinner {
  if (column.kind === 'numeric') {
    const sorted = column.values
      .filter((v): v is number => v !== null && Number.isFinite(v))
      .sort((a, b) => a - b);
    const cuts: number[] = [];
    for (let k = 1; k < maxBins && sorted.length > 0; k++) {
      const cut = sorted[Math.floor((k * sorted.length) / maxBins)] as number;
      if (cut < (sorted.at(-1) as number) && (cuts.length === 0 || cut > (cuts.at(-1) as number)))
        cuts.push(cut);
    }
    return { name: column.name, type: 'numeric', cuts };
  }
  const stats = new Map<string, { n: number; bad: number }>();
  column.values.forEach((v, i) => {
    if (v === null) return;
    const s = stats.get(v) ?? { n: 0, bad: 0 };
    s.n += 1;
    s.bad += outcomes[i] as number;
    stats.set(v, s);
  });
  const rate = (s: { n: number; bad: number }) => (s.bad + 0.5) / (s.n + 1);
  const order = [...stats]
    .sort((a, b) => rate(a[1]) - rate(b[1]))
    .slice(0, maxBins - 2)
    .map(([level]) => level);
  return { name: column.name, type: 'categorical', order };
}

/** Bin 0 is missing; known values take 1…; unseen categories sit in the middle of the order. */
function binValue(binner: FeatureBinner, value: number | string | null): number {
  if (value === null || (typeof value === 'number' && Number.isNaN(value))) return 0;
  if (binner.type === 'numeric') {
    const x = Number(value);
    let lo = 0;
    let hi = binner.cuts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (x <= (binner.cuts[mid] as number)) hi = mid;
      else lo = mid + 1;
    }
    return lo + 1;
  }
  const i = binner.order.indexOf(String(value));
  return i >= 0 ? i + 1 : Math.floor(binner.order.length / 2) + 1;
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

function logLoss(raw: Float64Array, outcomes: readonly number[], rows: Uint32Array): number {
  let sum = 0;
  for (let r = 0; r < rows.length; r++) {
    const i = rows[r] as number;
    const p = Math.min(Math.max(sigmoid(raw[i] as number), 1e-12), 1 - 1e-12);
    sum -= outcomes[i] === 1 ? Math.log(p) : Math.log(1 - p);
  }
  return sum / rows.length;
}

/** Deterministic shuffle (xorshift) for the validation hold-out. */
function shuffled(n: number, seed: number): Uint32Array {
  const a = new Uint32Array(n);
  for (let i = 0; i < n; i++) a[i] = i;
  let s = seed >>> 0 || 1;
  for (let i = n - 1; i > 0; i--) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    const j = (s >>> 0) % (i + 1);
    const t = a[i] as number;
    a[i] = a[j] as number;
    a[j] = t;
  }
  return a;
}

export function fitGbdt(
  columns: readonly Column[],
  outcomes: readonly number[],
  target: string,
  options: GbdtOptions = DEFAULT_GBDT,
): GbdtModel {
  const n = outcomes.length;
  invariant(n > 0 && columns.length > 0, 'rows and features are needed');
  const binners = columns.map((c) => binnerFor(c, outcomes, options.maxBins));
  const nBins = binners.map((b) => (b.type === 'numeric' ? b.cuts.length + 2 : b.order.length + 1));
  // Column-major bin codes: a histogram pass reads one feature's codes contiguously.
  const codes = columns.map((c, f) => {
    const out = new Uint16Array(n);
    for (let i = 0; i < n; i++) out[i] = binValue(binners[f] as FeatureBinner, c.values[i] ?? null);
    return out;
  });
  const order = shuffled(n, options.seed);
  const validCount = Math.floor(n * options.validationShare);
  const valid = order.slice(0, validCount);
  const train = order.slice(validCount);
  const badRate = outcomes.reduce((s, y) => s + y, 0) / n;
  const baseScore = Math.log(Math.max(badRate, 1e-6) / Math.max(1 - badRate, 1e-6));
  const raw = new Float64Array(n).fill(baseScore);
  const grad = new Float64Array(n);
  const hess = new Float64Array(n);
  const trees: TreeNode[] = [];
  let bestLoss = Number.POSITIVE_INFINITY;
  let bestIteration = 0;

  const leafValue = (g: number, h: number) => -g / (h + options.l2);
  // Histograms are flat arrays, feature f's bins at [f × stride, f × stride + nBins[f]).
  const stride = Math.max(...nBins);
  const histogram = (rows: Uint32Array) => {
    const hg = new Float64Array(codes.length * stride);
    const hh = new Float64Array(codes.length * stride);
    const hc = new Float64Array(codes.length * stride);
    for (let f = 0; f < codes.length; f++) {
      const code = codes[f] as Uint16Array;
      const base = f * stride;
      for (let r = 0; r < rows.length; r++) {
        const i = rows[r] as number;
        const b = base + (code[i] as number);
        hg[b] = (hg[b] as number) + (grad[i] as number);
        hh[b] = (hh[b] as number) + (hess[i] as number);
        hc[b] = (hc[b] as number) + 1;
      }
    }
    return { hg, hh, hc };
  };
  type Histogram = ReturnType<typeof histogram>;
  // A child's histogram is its parent's minus its sibling's: only the smaller child is scanned.
  const minus = (parent: Histogram, child: Histogram): Histogram => ({
    hg: parent.hg.map((v, k) => v - (child.hg[k] as number)),
    hh: parent.hh.map((v, k) => v - (child.hh[k] as number)),
    hc: parent.hc.map((v, k) => v - (child.hc[k] as number)),
  });
  const grow = (rows: Uint32Array, depth: number, hist: Histogram): TreeNode => {
    let g = 0;
    let h = 0;
    for (let b = 0; b < (nBins[0] as number); b++) {
      g += hist.hg[b] as number;
      h += hist.hh[b] as number;
    }
    if (depth >= options.maxDepth || rows.length < 2 * options.minSamplesLeaf)
      return { value: leafValue(g, h) };
    const parentScore = (g * g) / (h + options.l2);
    let best = { gain: 0, feature: -1, threshold: -1 };
    for (let f = 0; f < codes.length; f++) {
      const base = f * stride;
      let gl = 0;
      let hl = 0;
      let cl = 0;
      for (let b = 0; b < (nBins[f] as number) - 1; b++) {
        gl += hist.hg[base + b] as number;
        hl += hist.hh[base + b] as number;
        cl += hist.hc[base + b] as number;
        const cr = rows.length - cl;
        if (cl < options.minSamplesLeaf) continue;
        if (cr < options.minSamplesLeaf) break;
        const gr = g - gl;
        const hr = h - hl;
        const gain = (gl * gl) / (hl + options.l2) + (gr * gr) / (hr + options.l2) - parentScore;
        if (gain > best.gain) best = { gain, feature: f, threshold: b };
      }
    }
    if (best.feature < 0) return { value: leafValue(g, h) };
    const code = codes[best.feature] as Uint16Array;
    let leftCount = 0;
    for (let r = 0; r < rows.length; r++)
      if ((code[rows[r] as number] as number) <= best.threshold) leftCount += 1;
    const left = new Uint32Array(leftCount);
    const right = new Uint32Array(rows.length - leftCount);
    let li = 0;
    let ri = 0;
    for (let r = 0; r < rows.length; r++) {
      const i = rows[r] as number;
      if ((code[i] as number) <= best.threshold) left[li++] = i;
      else right[ri++] = i;
    }
    const leftSmaller = left.length <= right.length;
    const small = histogram(leftSmaller ? left : right);
    // Subtracting costs a pass over every bin; scanning a small child directly is cheaper.
    const large =
      Math.max(left.length, right.length) > 3 * stride
        ? minus(hist, small)
        : histogram(leftSmaller ? right : left);
    return {
      feature: best.feature,
      threshold: best.threshold,
      gain: best.gain,
      left: grow(left, depth + 1, leftSmaller ? small : large),
      right: grow(right, depth + 1, leftSmaller ? large : small),
    };
  };
  const predictBinned = (tree: TreeNode, i: number): number => {
    let node = tree;
    while (!('value' in node))
      node = ((codes[node.feature] as Uint16Array)[i] as number) <= node.threshold ? node.left : node.right;
    return node.value;
  };

  for (let t = 0; t < options.maxTrees; t++) {
    for (let r = 0; r < train.length; r++) {
      const i = train[r] as number;
      const p = sigmoid(raw[i] as number);
      grad[i] = p - (outcomes[i] as number);
      hess[i] = Math.max(p * (1 - p), 1e-12);
    }
    const tree = grow(train, 0, histogram(train));
    trees.push(tree);
    for (let i = 0; i < n; i++) raw[i] = (raw[i] as number) + options.learningRate * predictBinned(tree, i);
    if (validCount > 0) {
      const loss = logLoss(raw, outcomes, valid);
      if (loss < bestLoss - 1e-9) {
        bestLoss = loss;
        bestIteration = t + 1;
      } else if (t + 1 - bestIteration >= options.patience) {
        break;
      }
    } else {
      bestIteration = t + 1;
    }
  }
  return {
    format: 'fulcrum-model/1',
    kind: 'gbdt',
    target,
    binners,
    baseScore,
    learningRate: options.learningRate,
    trees: trees.slice(0, bestIteration),
    training: { rows: n, badRate, bestIteration },
  };
}

export type Row = Readonly<Record<string, number | string | null>>;

/** Probability of the bad event, and each feature's contribution to the log-odds (the explanation). */
export function gbdtExplain(
  model: GbdtModel,
  row: Row,
): { pd: number; contributions: { feature: string; logOdds: number }[] } {
  const bins = model.binners.map((b) => binValue(b, row[b.name] ?? null));
  const contributions = new Float64Array(model.binners.length);
  let raw = model.baseScore;
  for (const tree of model.trees) {
    // Saabas-style attribution: the change in expected value at each split goes to its feature.
    let node = tree;
    let expected = meanLeaf(node);
    while (!('value' in node)) {
      const next = (bins[node.feature] as number) <= node.threshold ? node.left : node.right;
      const nextExpected = meanLeaf(next);
      contributions[node.feature] =
        (contributions[node.feature] as number) + model.learningRate * (nextExpected - expected);
      expected = nextExpected;
      node = next;
    }
    raw += model.learningRate * node.value;
  }
  return {
    pd: sigmoid(raw),
    contributions: model.binners
      .map((b, f) => ({ feature: b.name, logOdds: contributions[f] as number }))
      .filter((c) => c.logOdds !== 0)
      .sort((a, b) => Math.abs(b.logOdds) - Math.abs(a.logOdds)),
  };
}

const meanCache = new WeakMap<TreeNode, number>();
/** The unweighted mean of a subtree's leaves: a cheap expected value for the attribution. */
function meanLeaf(node: TreeNode): number {
  if ('value' in node) return node.value;
  const cached = meanCache.get(node);
  if (cached !== undefined) return cached;
  const mean = (meanLeaf(node.left) + meanLeaf(node.right)) / 2;
  meanCache.set(node, mean);
  return mean;
}

export function gbdtPd(model: GbdtModel, row: Row): number {
  const bins = model.binners.map((b) => binValue(b, row[b.name] ?? null));
  let raw = model.baseScore;
  for (const tree of model.trees) {
    let node = tree;
    while (!('value' in node))
      node = (bins[node.feature] as number) <= node.threshold ? node.left : node.right;
    raw += model.learningRate * node.value;
  }
  return sigmoid(raw);
}
