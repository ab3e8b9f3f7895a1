import { invariant } from '../errors.js';
import { type Column, sortedFinite } from './binning.js';

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
    const sorted = sortedFinite(column.values);
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
    // One byte per value when every bin number fits (the default 255 bins do): half the memory
    // each histogram pass reads.
    const out = Math.max(...nBins) <= 256 ? new Uint8Array(n) : new Uint16Array(n);
    for (let i = 0; i < n; i++) out[i] = binValue(binners[f] as FeatureBinner, c.values[i] ?? null);
    return out;
  });
  const order = shuffled(n, options.seed);
  const validCount = Math.floor(n * options.validationShare);
  const valid = order.slice(0, validCount);
  // In row order, so every pass over a node's rows reads codes and gradients front to back.
  const train = order.slice(validCount).sort();
  const badRate = outcomes.reduce((s, y) => s + y, 0) / n;
  const baseScore = Math.log(Math.max(badRate, 1e-6) / Math.max(1 - badRate, 1e-6));
  const raw = new Float64Array(n).fill(baseScore);
  const grad = new Float64Array(n);
  const hess = new Float64Array(n);
  const trees: TreeNode[] = [];
  let bestLoss = Number.POSITIVE_INFINITY;
  let bestIteration = 0;

  const leafValue = (g: number, h: number) => -g / (h + options.l2);
  // A histogram is one flat array: feature f's bins at slots [offset[f], offset[f] + nBins[f]) (a
  // feature with few levels takes few slots), each slot three numbers side by side — gradient,
  // hessian, count — so adding a row touches one cache line.
  const offset = nBins.map((_, f) => nBins.slice(0, f).reduce((a, b) => a + b, 0));
  const slots = nBins.reduce((a, b) => a + b, 0);
  const spare = new Uint8Array(n);
  type Histogram = Float64Array;
  // A node's histogram is done with once its children's are made: its buffer serves the next
  // node instead of becoming garbage (thousands of them per fit).
  const pool: Histogram[] = [];
  const take = (): Histogram => pool.pop() ?? new Float64Array(3 * (slots + 1));
  const release = (hist: Histogram) => {
    pool.push(hist);
  };
  const histogram = (rows: Uint32Array): Histogram => {
    const hist = take();
    hist.fill(0);
    // The node's gradients gathered once, read in order by every feature's pass.
    const g = new Float64Array(rows.length);
    const h = new Float64Array(rows.length);
    for (let r = 0; r < rows.length; r++) {
      g[r] = grad[rows[r] as number] as number;
      h[r] = hess[rows[r] as number] as number;
    }
    // Two features per pass: each row's index and gradients are loaded once for both. An odd
    // feature out is paired with a dummy that adds into the spare slot at the end.
    for (let f = 0; f < codes.length; f += 2) {
      const code1 = codes[f] as Uint8Array | Uint16Array;
      const code2 = (codes[f + 1] ?? spare) as Uint8Array | Uint16Array;
      const base1 = offset[f] as number;
      const base2 = f + 1 < codes.length ? (offset[f + 1] as number) : slots;
      for (let r = 0; r < rows.length; r++) {
        const i = rows[r] as number;
        const gr = g[r] as number;
        const hr = h[r] as number;
        const b1 = 3 * (base1 + (code1[i] as number));
        const b2 = 3 * (base2 + (code2[i] as number));
        hist[b1] = (hist[b1] as number) + gr;
        hist[b1 + 1] = (hist[b1 + 1] as number) + hr;
        hist[b1 + 2] = (hist[b1 + 2] as number) + 1;
        hist[b2] = (hist[b2] as number) + gr;
        hist[b2 + 1] = (hist[b2 + 1] as number) + hr;
        hist[b2 + 2] = (hist[b2 + 2] as number) + 1;
      }
    }
    return hist;
  };
  // A child's histogram is its parent's minus its sibling's: only the smaller child is scanned.
  const minus = (parent: Histogram, child: Histogram): Histogram => {
    const hist = take();
    for (let k = 0; k < parent.length; k++) hist[k] = (parent[k] as number) - (child[k] as number);
    return hist;
  };
  // A leaf adds its value to the raw score of the training rows it holds at once; only the
  // validation rows are walked down the finished tree.
  const leaf = (rows: Uint32Array, g: number, h: number): TreeNode => {
    const value = leafValue(g, h);
    for (let r = 0; r < rows.length; r++) {
      const i = rows[r] as number;
      raw[i] = (raw[i] as number) + options.learningRate * value;
    }
    return { value };
  };
  const partitions = Array.from({ length: options.maxDepth }, () => [new Uint32Array(n), new Uint32Array(n)]);
  const isLeaf = (rows: Uint32Array, depth: number) =>
    depth >= options.maxDepth || rows.length < 2 * options.minSamplesLeaf;
  // The histograms of the children that will be split further: a child that will be a leaf needs
  // only its gradient sums, which the parent's split already has.
  const childHistograms = (
    hist: Histogram,
    left: Uint32Array,
    right: Uint32Array,
    needLeft: boolean,
    needRight: boolean,
  ): [Histogram | null, Histogram | null] => {
    const leftSmaller = left.length <= right.length;
    const [smallRows, largeRows] = leftSmaller ? [left, right] : [right, left];
    const [needSmall, needLarge] = leftSmaller ? [needLeft, needRight] : [needRight, needLeft];
    // Subtracting costs a pass over every bin; scanning a small child directly is cheaper.
    const subtract = largeRows.length * codes.length > 4 * slots;
    let small = needSmall || (needLarge && subtract) ? histogram(smallRows) : null;
    const large = needLarge ? (subtract ? minus(hist, small as Histogram) : histogram(largeRows)) : null;
    if (small && !needSmall) {
      release(small);
      small = null;
    }
    return leftSmaller ? [small, large] : [large, small];
  };
  const grow = (rows: Uint32Array, depth: number, hist: Histogram | null, g: number, h: number): TreeNode => {
    if (hist === null) return leaf(rows, g, h);
    const parentScore = (g * g) / (h + options.l2);
    let best = { gain: 0, feature: -1, threshold: -1, gl: 0, hl: 0 };
    for (let f = 0; f < codes.length; f++) {
      const base = offset[f] as number;
      let gl = 0;
      let hl = 0;
      let cl = 0;
      for (let b = 0; b < (nBins[f] as number) - 1; b++) {
        const slot = 3 * (base + b);
        gl += hist[slot] as number;
        hl += hist[slot + 1] as number;
        cl += hist[slot + 2] as number;
        const cr = rows.length - cl;
        if (cl < options.minSamplesLeaf) continue;
        if (cr < options.minSamplesLeaf) break;
        const gr = g - gl;
        const hr = h - hl;
        const gain = (gl * gl) / (hl + options.l2) + (gr * gr) / (hr + options.l2) - parentScore;
        if (gain > best.gain) best = { gain, feature: f, threshold: b, gl, hl };
      }
    }
    if (best.feature < 0) {
      release(hist);
      return leaf(rows, g, h);
    }
    const code = codes[best.feature] as Uint8Array | Uint16Array;
    // One pass into this depth's two buffers; each child keeps the filled part. The left child's
    // subtree only writes deeper buffers, so the right child's rows are intact when its turn comes.
    const [leftAll, rightAll] = partitions[depth] as [Uint32Array, Uint32Array];
    let li = 0;
    let ri = 0;
    for (let r = 0; r < rows.length; r++) {
      const i = rows[r] as number;
      if ((code[i] as number) <= best.threshold) leftAll[li++] = i;
      else rightAll[ri++] = i;
    }
    const left = leftAll.subarray(0, li);
    const right = rightAll.subarray(0, ri);
    const [leftHist, rightHist] = childHistograms(
      hist,
      left,
      right,
      !isLeaf(left, depth + 1),
      !isLeaf(right, depth + 1),
    );
    release(hist);
    return {
      feature: best.feature,
      threshold: best.threshold,
      gain: best.gain,
      left: grow(left, depth + 1, leftHist, best.gl, best.hl),
      right: grow(right, depth + 1, rightHist, g - best.gl, h - best.hl),
    };
  };
  const predictBinned = (tree: TreeNode, i: number): number => {
    let node = tree;
    while (!('value' in node))
      node =
        ((codes[node.feature] as Uint8Array | Uint16Array)[i] as number) <= node.threshold
          ? node.left
          : node.right;
    return node.value;
  };

  for (let t = 0; t < options.maxTrees; t++) {
    for (let r = 0; r < train.length; r++) {
      const i = train[r] as number;
      const p = sigmoid(raw[i] as number);
      grad[i] = p - (outcomes[i] as number);
      hess[i] = Math.max(p * (1 - p), 1e-12);
    }
    const root = histogram(train);
    let g = 0;
    let h = 0;
    for (let b = 0; b < (nBins[0] as number); b++) {
      g += root[3 * b] as number;
      h += root[3 * b + 1] as number;
    }
    const splittable = !isLeaf(train, 0);
    if (!splittable) release(root);
    const tree = grow(train, 0, splittable ? root : null, g, h);
    trees.push(tree);
    for (let r = 0; r < valid.length; r++) {
      const i = valid[r] as number;
      raw[i] = (raw[i] as number) + options.learningRate * predictBinned(tree, i);
    }
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
