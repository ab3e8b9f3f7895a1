import { readFileSync, writeFileSync } from 'node:fs';
import { type Command, InvalidArgumentError } from 'commander';
import { DomainError } from '../core/errors.js';
import type { Column } from '../core/scoring/binning.js';
import { fitGbdt, type GbdtModel, gbdtPd } from '../core/scoring/gbdt.js';
import { LogisticFitError } from '../core/scoring/logistic.js';
import { auc, brier, gini, ks } from '../core/scoring/metrics.js';
import { type ScorecardModel, scorecardPd } from '../core/scoring/scorecard.js';
import { fitScorecardChoosing } from '../core/scoring/scorecard-choice.js';
import { readDataset, readSplit } from './model-data.js';

export type AnyModel = ScorecardModel | GbdtModel;
type Row = Readonly<Record<string, number | string | null>>;

/** The probability of the bad event, whichever kind of model. */
export function modelPd(model: AnyModel, row: Row): number {
  return model.kind === 'gbdt' ? gbdtPd(model, row) : scorecardPd(model, row);
}

/** The feature columns a model reads. */
export function modelFeatures(model: AnyModel): string[] {
  return model.kind === 'gbdt' ? model.binners.map((b) => b.name) : model.features.map((f) => f.name);
}

function rowsOf(columns: readonly Column[], count: number): Row[] {
  return Array.from({ length: count }, (_, i) =>
    Object.fromEntries(columns.map((c) => [c.name, c.values[i] ?? null])),
  );
}

function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}

export function evaluate(model: AnyModel, columns: readonly Column[], outcomes: readonly number[]) {
  const pds = rowsOf(columns, outcomes.length).map((row) => modelPd(model, row));
  const a = auc(pds, outcomes);
  return {
    auc: round(a),
    ks: round(ks(pds, outcomes)),
    gini: round(gini(a)),
    brier: round(brier(pds, outcomes)),
    n: outcomes.length,
    badRate: round(outcomes.reduce((s, y) => s + y, 0) / outcomes.length),
  };
}

interface FitOptions {
  csv: string;
  target: string;
  exclude: string;
  kind: string;
  splitFile?: string;
  out: string;
}

function fit(options: FitOptions): void {
  if (options.kind !== 'scorecard' && options.kind !== 'gbdt') {
    throw new InvalidArgumentError(`--kind must be scorecard or gbdt, got "${options.kind}"`);
  }
  const started = performance.now();
  const exclude = options.exclude
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const data = readDataset(
    options.csv,
    options.target,
    exclude,
    options.splitFile ? readSplit(options.splitFile, 'train') : undefined,
  );
  // The fit is timed from the rows in memory, as scikit-learn's fit() is; reading the CSV is
  // reported beside it.
  const read = performance.now();
  let fitted: AnyModel;
  try {
    fitted =
      options.kind === 'gbdt'
        ? fitGbdt(data.columns, data.outcomes, options.target)
        : fitScorecardChoosing(data.columns, data.outcomes, options.target);
  } catch (error) {
    if (!(error instanceof LogisticFitError)) throw error;
    throw new Error(
      `the ${options.kind} fit failed (${error.reason}): ${error.message}; no model was written`,
    );
  }
  const readSeconds = (read - started) / 1000;
  const seconds = (performance.now() - read) / 1000;
  const used = new Set(modelFeatures(fitted));
  const train = evaluate(
    fitted,
    data.columns.filter((c) => used.has(c.name)),
    data.outcomes,
  );
  writeFileSync(
    options.out,
    `${JSON.stringify({ ...fitted, metrics: { train }, fitSeconds: round(seconds), readSeconds: round(readSeconds) })}\n`,
  );
  process.stderr.write(
    `fitted a ${fitted.kind} on ${data.rows} rows with ${used.size} features; train AUC ${train.auc}; read in ${readSeconds.toFixed(2)} s, fitted in ${seconds.toFixed(2)} s → ${options.out}\n`,
  );
}

function evaluateFile(options: { model: string; csv: string; target: string; splitFile?: string }): void {
  const fitted = JSON.parse(readFileSync(options.model, 'utf8')) as AnyModel;
  if (fitted.format !== 'fulcrum-model/1' || (fitted.kind !== 'scorecard' && fitted.kind !== 'gbdt')) {
    throw new InvalidArgumentError(`${options.model} is not a Fulcrum model`);
  }
  const names = modelFeatures(fitted);
  const header = readDataset(options.csv, options.target, [], new Set([0])).columns.map((c) => c.name);
  const missing = names.filter((n) => !header.includes(n));
  if (missing.length > 0)
    throw new DomainError(
      'missing_column',
      `${options.csv} lacks the model's features: ${missing.join(', ')}`,
    );
  const data = readDataset(
    options.csv,
    options.target,
    header.filter((n) => !names.includes(n)),
    options.splitFile ? readSplit(options.splitFile, 'test') : undefined,
  );
  process.stdout.write(`${JSON.stringify(evaluate(fitted, data.columns, data.outcomes))}\n`);
}

/** `fulcrum model fit` and `fulcrum model eval` (CONTRACT.md). */
export function registerModelCommands(program: Command): void {
  const model = program.command('model').description('fit and evaluate credit scoring models on any CSV');
  model
    .command('fit')
    .requiredOption('--csv <file>', 'training data: header row, empty = missing')
    .requiredOption('--target <column>', '0/1 column, 1 = the bad event')
    .option('--exclude <columns>', 'comma-separated columns that are not features (ids, outcomes)', '')
    .option('--kind <kind>', 'scorecard | gbdt', 'scorecard')
    .option('--split-file <file>', 'row,split CSV: fit on the train rows')
    .requiredOption('--out <file>', 'where to write the model JSON')
    .action(fit);
  model
    .command('eval')
    .requiredOption('--model <file>', 'a model JSON written by fit')
    .requiredOption('--csv <file>', 'data to score')
    .requiredOption('--target <column>', '0/1 column, 1 = the bad event')
    .option('--split-file <file>', 'row,split CSV: evaluate on the test rows')
    .option('--json', 'one JSON line (the default)')
    .action(evaluateFile);
}
