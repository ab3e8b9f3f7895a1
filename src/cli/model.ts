import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { Column } from '../core/scoring/binning.js';
import { auc, brier, gini, ks } from '../core/scoring/metrics.js';
import { fitScorecard, type ScorecardModel, scorecardPd } from '../core/scoring/scorecard.js';
import { readDataset, readSplit } from './model-data.js';

function applicants(columns: readonly Column[], rows: number) {
  return Array.from({ length: rows }, (_, i) =>
    Object.fromEntries(columns.map((c) => [c.name, c.values[i] ?? null])),
  );
}

function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}

export function evaluate(model: ScorecardModel, columns: readonly Column[], outcomes: readonly number[]) {
  const pds = applicants(columns, outcomes.length).map((a) => scorecardPd(model, a));
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
    .action(
      (options: {
        csv: string;
        target: string;
        exclude: string;
        kind: string;
        splitFile?: string;
        out: string;
      }) => {
        if (options.kind !== 'scorecard') {
          throw new Error(`--kind ${options.kind} is not available yet: this version fits scorecards only`);
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
        const fitted = fitScorecard(data.columns, data.outcomes, options.target);
        const seconds = (performance.now() - started) / 1000;
        const used = new Set(fitted.features.map((f) => f.name));
        const trainMetrics = evaluate(
          fitted,
          data.columns.filter((c) => used.has(c.name)),
          data.outcomes,
        );
        writeFileSync(
          options.out,
          `${JSON.stringify({ ...fitted, metrics: { train: trainMetrics }, fitSeconds: round(seconds) }, null, 2)}\n`,
        );
        process.stderr.write(
          `fitted a scorecard on ${data.rows} rows: ${fitted.features.length} features kept, ${fitted.training.dropped.length} left out; train AUC ${trainMetrics.auc}; ${seconds.toFixed(2)} s → ${options.out}\n`,
        );
      },
    );
  model
    .command('eval')
    .requiredOption('--model <file>', 'a model JSON written by fit')
    .requiredOption('--csv <file>', 'data to score')
    .requiredOption('--target <column>', '0/1 column, 1 = the bad event')
    .option('--split-file <file>', 'row,split CSV: evaluate on the test rows')
    .option('--json', 'one JSON line (the default)')
    .action((options: { model: string; csv: string; target: string; splitFile?: string }) => {
      const fitted = JSON.parse(readFileSync(options.model, 'utf8')) as ScorecardModel;
      if (fitted.format !== 'fulcrum-model/1' || fitted.kind !== 'scorecard')
        throw new Error(`${options.model} is not a Fulcrum scorecard model`);
      const names = fitted.features.map((f) => f.name);
      const header = readDataset(options.csv, options.target, [], new Set([0])).columns.map((c) => c.name);
      const missing = names.filter((n) => !header.includes(n));
      if (missing.length > 0)
        throw new Error(`${options.csv} lacks the model's features: ${missing.join(', ')}`);
      const data = readDataset(
        options.csv,
        options.target,
        header.filter((n) => !names.includes(n)),
        options.splitFile ? readSplit(options.splitFile, 'test') : undefined,
      );
      process.stdout.write(`${JSON.stringify(evaluate(fitted, data.columns, data.outcomes))}\n`);
    });
}
