/**
 * Scorecard quality and speed on the shared public datasets, beside the scikit-learn reference
 * figures of ../shared/datasets/README.md (same split files). Datasets that are absent are skipped.
 * Usage: npm run bench:scoring
 */
import { existsSync } from 'node:fs';
import { evaluate } from '../src/cli/model.js';
import { readDataset, readSplit } from '../src/cli/model-data.js';
import { fitScorecard } from '../src/core/scoring/scorecard.js';

const DIR = '../shared/datasets';
// Test AUC and fit seconds of the two logistic-regression references (raw, WoE), from the datasets README.
const CASES = [
  { file: 'german_credit', target: 'bad', exclude: [], lr: [0.801, 0.8], lrSeconds: [0.02, 0.1] },
  {
    file: 'taiwan_default',
    target: 'default_next_month',
    exclude: ['ID'],
    lr: [0.716, 0.766],
    lrSeconds: [0.35, 0.43],
  },
  {
    file: 'polish_bankruptcy_5year',
    target: 'bankrupt',
    exclude: [],
    lr: [0.819, 0.934],
    lrSeconds: [0.06, 0.5],
  },
] as const;

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
  const started = performance.now();
  const model = fitScorecard(train.columns, train.outcomes, c.target);
  const fitSeconds = (performance.now() - started) / 1000;
  const used = new Set(model.features.map((f) => f.name));
  const metrics = evaluate(
    model,
    test.columns.filter((col) => used.has(col.name)),
    test.outcomes,
  );
  const best = Math.max(...c.lr);
  results.push({
    dataset: c.file,
    auc: metrics.auc,
    ks: metrics.ks,
    fitSeconds: Math.round(fitSeconds * 1000) / 1000,
    referenceAuc: best,
    target: Math.round((best - 0.005) * 1000) / 1000,
    meetsAuc: metrics.auc >= best - 0.005,
    referenceSeconds: c.lrSeconds[(c.lr as readonly number[]).indexOf(best)],
    features: model.features.length,
  });
}
console.log(
  '\n| dataset | scorecard AUC | KS | fit s | best sklearn LR AUC | target AUC | its fit s | features |',
);
console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
for (const r of results) {
  console.log(
    `| ${r.dataset} | ${r.auc} ${r.meetsAuc ? '✓' : '✗'} | ${r.ks} | ${r.fitSeconds} | ${r.referenceAuc} | ≥ ${r.target} | ${r.referenceSeconds} | ${r.features} |`,
  );
}
console.log(JSON.stringify({ bench: 'scoring', results }));
