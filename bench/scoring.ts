/**
 * Scorecard and GBDT quality and speed on the shared public datasets, beside the scikit-learn
 * reference figures of ../shared/datasets/README.md (same split files). Absent datasets are skipped.
 * The CLI's own fit (a fresh process, as a user runs it) is reported beside the warm fits.
 * Usage: npm run bench:scoring
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AnyModel, evaluate, modelFeatures } from '../src/cli/model.js';
import { readDataset, readSplit } from '../src/cli/model-data.js';
import { fitGbdt } from '../src/core/scoring/gbdt.js';
import { fitScorecardChoosing } from '../src/core/scoring/scorecard-choice.js';
import { timedFits, WARM_FITS } from './fit-timing.js';

const DIR = '../shared/datasets';
// Test AUC and fit seconds of the references, from the datasets README: [LR raw, LR WoE] and HistGradientBoosting.
const CASES = [
  {
    file: 'german_credit',
    target: 'bad',
    exclude: [],
    lr: [0.801, 0.8],
    lrSeconds: [0.02, 0.1],
    hgb: 0.774,
    hgbSeconds: 0.37,
  },
  {
    file: 'taiwan_default',
    target: 'default_next_month',
    exclude: ['ID'],
    lr: [0.716, 0.766],
    lrSeconds: [0.35, 0.43],
    hgb: 0.778,
    hgbSeconds: 0.31,
  },
  {
    file: 'polish_bankruptcy_5year',
    target: 'bankrupt',
    exclude: [],
    lr: [0.819, 0.934],
    lrSeconds: [0.06, 0.5],
    hgb: 0.964,
    hgbSeconds: 0.79,
  },
];

/**
 * `fulcrum model fit` as a user runs it, in a process of its own (cold: the code compiles as it
 * goes): the fit and read seconds it writes into the model file, and the whole command's wall time.
 */
function cliFit(csv: string, split: string, target: string, exclude: readonly string[], kind: string) {
  const out = join(mkdtempSync(join(tmpdir(), 'fulcrum-fit-')), 'model.json');
  const started = performance.now();
  execFileSync(
    process.execPath,
    [
      'bin/fulcrum.js',
      'model',
      'fit',
      '--csv',
      csv,
      '--target',
      target,
      '--exclude',
      exclude.join(','),
      '--kind',
      kind,
      '--split-file',
      split,
      '--out',
      out,
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const wallSeconds = Math.round(performance.now() - started) / 1000;
  const written = JSON.parse(readFileSync(out, 'utf8')) as { fitSeconds: number; readSeconds: number };
  return { fitSeconds: written.fitSeconds, readSeconds: written.readSeconds, wallSeconds };
}

const results = [];
for (const c of CASES) {
  const csv = `${DIR}/${c.file}.csv`;
  const split = `${DIR}/splits/split_${c.file}_seed42.csv`;
  if (!existsSync(csv) || !existsSync(split)) {
    console.error(`skipped ${c.file}: not found under ${DIR}`);
    continue;
  }
  const train = readDataset(csv, c.target, c.exclude, readSplit(split, 'train'));
  const test = readDataset(csv, c.target, c.exclude, readSplit(split, 'test'));
  const bestLr = Math.max(...c.lr);
  for (const kind of ['scorecard', 'gbdt'] as const) {
    const fit = (): AnyModel =>
      kind === 'gbdt'
        ? fitGbdt(train.columns, train.outcomes, c.target)
        : fitScorecardChoosing(train.columns, train.outcomes, c.target);
    const { model, firstSeconds, fitSeconds } = timedFits(fit);
    const cli = cliFit(csv, split, c.target, c.exclude, kind);
    const used = new Set(modelFeatures(model));
    const metrics = evaluate(
      model,
      test.columns.filter((col) => used.has(col.name)),
      test.outcomes,
    );
    const reference = kind === 'gbdt' ? c.hgb : bestLr;
    const referenceSeconds = (kind === 'gbdt' ? c.hgbSeconds : c.lrSeconds[c.lr.indexOf(bestLr)]) as number;
    results.push({
      dataset: c.file,
      kind,
      auc: metrics.auc,
      ks: metrics.ks,
      firstFitSeconds: Math.round(firstSeconds * 1000) / 1000,
      fitSeconds: Math.round(fitSeconds * 1000) / 1000,
      referenceAuc: reference,
      meetsAuc: metrics.auc >= reference - 0.005,
      referenceSeconds,
      meetsTime: fitSeconds <= referenceSeconds,
      cliFitSeconds: cli.fitSeconds,
      cliReadSeconds: cli.readSeconds,
      cliWallSeconds: cli.wallSeconds,
      cliMeetsTime: cli.fitSeconds <= referenceSeconds,
    });
  }
}
console.log(
  `\n| dataset | model | AUC | KS | fit s (median of ${WARM_FITS} warm) | first fit s | CLI fit s (read s, wall s) | reference AUC (sklearn) | target | reference fit s |`,
);
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
for (const r of results) {
  console.log(
    `| ${r.dataset} | ${r.kind} | ${r.auc} ${r.meetsAuc ? '✓' : '✗'} | ${r.ks} | ${r.fitSeconds} ${r.meetsTime ? '✓' : '✗'} | ${r.firstFitSeconds} | ${r.cliFitSeconds} ${r.cliMeetsTime ? '✓' : '✗'} (${r.cliReadSeconds}, ${r.cliWallSeconds}) | ${r.referenceAuc} | ≥ ${(r.referenceAuc - 0.005).toFixed(3)} | ${r.referenceSeconds} |`,
  );
}
console.log(JSON.stringify({ bench: 'scoring', results }));
