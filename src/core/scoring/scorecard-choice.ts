import { binCount, binOf, type Column, DEFAULT_BINNING, fitBinning, woeTable } from './binning.js';
import { predictLogistic } from './logistic.js';
import { auc } from './metrics.js';
import { featureValue, fitScorecard, type ScorecardModel, type ScorecardOptions } from './scorecard.js';

/** How each column was read, and which form of the model ranked the validation rows best. */
export interface ScorecardChoice {
  /** Folds of the training rows the forms were compared on (1: a 25 % hold-out). */
  readonly folds: number;
  readonly forms: { readonly form: Form; readonly auc: number }[];
  readonly chosen: Form;
  /** Numeric columns of whole-number codes (shop, area, profession) read as categories. */
  readonly codes: string[];
  /** Numeric columns entered as standardised values rather than the WoE of a bin. */
  readonly linear: string[];
}

type Form = 'woe' | 'woe_with_codes' | 'linear';

export type ChosenScorecard = ScorecardModel & {
  readonly training: ScorecardModel['training'] & { readonly choice: ScorecardChoice };
};

/** Below this many rows the comparison is made over 4 folds, above it on one hold-out. */
const FOLD_ROWS = 2_000;
/**
 * A form must beat a simpler one by half the standard error of the simpler one's AUC on the
 * validation rows (Hanley & McNeil), and by 0.002 at least: a smaller gain is noise, and the
 * simpler form is the one a credit analyst can read.
 */
function margin(base: number, outcomes: readonly number[]): number {
  const bads = outcomes.reduce((s, y) => s + y, 0);
  const goods = outcomes.length - bads;
  if (bads === 0 || goods === 0) return Number.POSITIVE_INFINITY;
  const q1 = base / (2 - base);
  const q2 = (2 * base * base) / (1 + base);
  const variance =
    (base * (1 - base) + (bads - 1) * (q1 - base * base) + (goods - 1) * (q2 - base * base)) / (bads * goods);
  return Math.max(0.002, 0.5 * Math.sqrt(Math.max(variance, 0)));
}
const MAX_CODES = 50;

/** Fold of each row: a fixed shuffle, stratified by outcome, so a fit is reproducible. */
function foldsOf(outcomes: readonly number[], folds: number): number[] {
  const fold = new Array<number>(outcomes.length).fill(0);
  let state = 0x9e3779b9;
  const next = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state;
  };
  for (const label of [0, 1]) {
    const rows = outcomes.flatMap((y, i) => (y === label ? [i] : []));
    for (let i = rows.length - 1; i > 0; i--) {
      const j = next() % (i + 1);
      [rows[i], rows[j]] = [rows[j] as number, rows[i] as number];
    }
    rows.forEach((row, k) => {
      fold[row] = folds === 1 ? (k % 4 === 0 ? 0 : 1) : k % folds;
    });
  }
  return fold;
}

function subsetColumn(c: Column, rows: readonly number[]): Column {
  return c.kind === 'numeric'
    ? { ...c, values: rows.map((i) => c.values[i] ?? null) }
    : { ...c, values: rows.map((i) => c.values[i] ?? null) };
}

/**
 * One column's validation AUC: a logistic regression on one WoE column ranks rows as the WoE
 * does, so its bins and weights fitted on each fold's other rows score the fold directly.
 */
function univariateAuc(column: Column, outcomes: readonly number[], splits: readonly Split[]): number {
  const scores: number[] = [];
  const labels: number[] = [];
  for (const split of splits) {
    const { check } = split;
    const part = split.columnOf(column);
    const binning = fitBinning(part, DEFAULT_BINNING);
    const table = woeTable(
      part.values.map((v) => binOf(binning, v)),
      split.outcomes,
      binCount(binning),
    );
    for (const i of check) {
      scores.push(-(table.woe[binOf(binning, column.values[i] ?? null)] ?? 0));
      labels.push(outcomes[i] as number);
    }
  }
  return auc(scores, labels);
}

interface Split {
  readonly fit: number[];
  readonly check: number[];
  /** The outcomes of the fit rows. */
  readonly outcomes: number[];
  /**
   * A column's fit rows, made once per column: every form is fitted on the same split, so their
   * shared columns are binned once (binning keeps its sort per values array).
   */
  readonly columnOf: (column: Column) => Column;
}

function splitOf(fit: number[], check: number[], outcomes: readonly number[]): Split {
  const parts = new Map<Column, Column>();
  return {
    fit,
    check,
    outcomes: fit.map((i) => outcomes[i] as number),
    columnOf: (column) => {
      let part = parts.get(column);
      if (!part) {
        part = subsetColumn(column, fit);
        parts.set(column, part);
      }
      return part;
    },
  };
}

/** A numeric column of few whole numbers: perhaps codes, perhaps counts — validation decides. */
function maybeCodes(column: Column): boolean {
  if (column.kind !== 'numeric') return false;
  const seen = new Set<number>();
  for (const v of column.values) {
    if (v === null) continue;
    if (!Number.isInteger(v)) return false;
    seen.add(v);
    if (seen.size > MAX_CODES) return false;
  }
  return seen.size >= 3;
}

const asCodes = (column: Column): Column => ({
  name: column.name,
  kind: 'categorical',
  values: column.values.map((v) => (v === null ? null : String(v))),
});

/**
 * Fits a scorecard, choosing on the training rows alone (never the test rows) how to read each
 * column and which form of model to keep: whole-number code columns as categories or as numbers
 * (each by its own validation AUC), then the WoE scorecard, the same with codes, or numeric
 * columns entered as standardised values (by the whole model's validation AUC). The chosen form is
 * refitted on every training row and the choice recorded in the model.
 */
export function fitScorecardChoosing(
  columns: readonly Column[],
  outcomes: readonly number[],
  target: string,
  options: ScorecardOptions = {},
): ChosenScorecard {
  const folds = outcomes.length < FOLD_ROWS ? 4 : 1;
  const fold = foldsOf(outcomes, folds);
  const splits: Split[] = Array.from({ length: folds }, (_, k) =>
    splitOf(
      fold.flatMap((f, i) => (f !== k ? [i] : [])),
      fold.flatMap((f, i) => (f === k ? [i] : [])),
      outcomes,
    ),
  );
  /** Validation AUC of a form: pooled over the folds' held-out rows. */
  const validate = (cols: readonly Column[], linear: ReadonlySet<string>): number => {
    const scores: number[] = [];
    const labels: number[] = [];
    for (const split of splits) {
      let model: ScorecardModel;
      try {
        model = fitScorecard(cols.map(split.columnOf), split.outcomes, target, { ...options, linear });
      } catch {
        return 0; // a form that cannot be fitted on part of the rows is not chosen
      }
      const byName = new Map(cols.map((c) => [c.name, c.values]));
      const used = model.features.map((f) => ({ f, values: byName.get(f.name) ?? [] }));
      for (const i of split.check) {
        scores.push(
          predictLogistic(
            model,
            used.map(({ f, values }) => featureValue(f, values[i] ?? null)),
          ),
        );
        labels.push(outcomes[i] as number);
      }
    }
    return auc(scores, labels);
  };
  // Validation rows of every fold together: what each AUC above was measured on.
  const validated = splits.flatMap((s) => s.check.map((i) => outcomes[i] as number));
  const better = (challenger: number, base: number) => challenger > base + margin(base, validated);
  const none = new Set<string>();
  const codes = columns
    .filter(maybeCodes)
    .filter((c) => better(univariateAuc(asCodes(c), outcomes, splits), univariateAuc(c, outcomes, splits)))
    .map((c) => c.name);
  const withCodes = columns.map((c) => (codes.includes(c.name) ? asCodes(c) : c));
  const linear = new Set(withCodes.filter((c) => c.kind === 'numeric').map((c) => c.name));
  const forms: { form: Form; auc: number }[] = [{ form: 'woe', auc: validate(columns, none) }];
  if (codes.length > 0) forms.push({ form: 'woe_with_codes', auc: validate(withCodes, none) });
  if (linear.size > 0) forms.push({ form: 'linear', auc: validate(withCodes, linear) });
  // The simplest form unless another beats it by the margin.
  const chosen = forms.reduce((best, f) => (better(f.auc, best.auc) ? f : best));
  const model = fitScorecard(chosen.form === 'woe' ? columns : withCodes, outcomes, target, {
    ...options,
    linear: chosen.form === 'linear' ? linear : none,
  });
  const round = (x: number) => Math.round(x * 10_000) / 10_000;
  return {
    ...model,
    training: {
      ...model.training,
      choice: {
        folds,
        forms: forms.map((f) => ({ form: f.form, auc: round(f.auc) })),
        chosen: chosen.form,
        codes: chosen.form === 'woe' ? [] : codes,
        linear: chosen.form === 'linear' ? [...linear] : [],
      },
    },
  };
}
