import { describe, expect, it } from 'vitest';
import type { Column } from '../../src/core/scoring/binning.js';
import { DEFAULT_GBDT, fitGbdt, gbdtExplain, gbdtPd } from '../../src/core/scoring/gbdt.js';
import { auc } from '../../src/core/scoring/metrics.js';
import { fitScorecard, scorecardPd } from '../../src/core/scoring/scorecard.js';

/** Risk lives in an interaction (high utilisation AND a late history) that a linear model cannot draw. */
function book(n: number, seed: number) {
  let s = seed;
  const rand = () => {
    s = (s * 16_807) % 2_147_483_647;
    return s / 2_147_483_647;
  };
  const utilisation: (number | null)[] = [];
  const history: (string | null)[] = [];
  const noise: number[] = [];
  const outcomes: number[] = [];
  for (let i = 0; i < n; i++) {
    const u = rand();
    const h = rand() < 0.5 ? 'late' : 'clean';
    const pd = u > 0.6 === (h === 'late') ? 0.45 : 0.05;
    utilisation.push(rand() < 0.05 ? null : u);
    history.push(h);
    noise.push(rand());
    outcomes.push(rand() < pd ? 1 : 0);
  }
  const columns: Column[] = [
    { name: 'utilisation', kind: 'numeric', values: utilisation },
    { name: 'history', kind: 'categorical', values: history },
    { name: 'noise', kind: 'numeric', values: noise },
  ];
  return { columns, outcomes };
}

const rows = (columns: readonly Column[], n: number) =>
  Array.from({ length: n }, (_, i) => Object.fromEntries(columns.map((c) => [c.name, c.values[i] ?? null])));

describe('gradient-boosted trees', () => {
  const train = book(4_000, 3);
  const test = book(2_000, 99);
  const model = fitGbdt(train.columns, train.outcomes, 'bad', { ...DEFAULT_GBDT, maxTrees: 100 });

  it('learns an interaction an additive scorecard cannot, and generalises to new data', () => {
    const pds = rows(test.columns, 2_000).map((r) => gbdtPd(model, r));
    // The best possible AUC here is 0.767 (two risk groups of 45% and 5%).
    const gbdtAuc = auc(pds, test.outcomes);
    expect(gbdtAuc).toBeGreaterThan(0.73);
    const card = fitScorecard(train.columns, train.outcomes, 'bad');
    const cardAuc = auc(
      rows(test.columns, 2_000).map((r) => scorecardPd(card, r)),
      test.outcomes,
    );
    expect(gbdtAuc).toBeGreaterThan(cardAuc + 0.05);
    expect(pds.every((p) => p > 0 && p < 1)).toBe(true);
  });

  it('stops early on the validation share and is deterministic', () => {
    expect(model.trees.length).toBe(model.training.bestIteration);
    expect(model.trees.length).toBeLessThan(100);
    const again = fitGbdt(train.columns, train.outcomes, 'bad', { ...DEFAULT_GBDT, maxTrees: 100 });
    expect(again).toEqual(model);
  });

  it('explains a decision by the features that moved it, noise last', () => {
    const risky = { utilisation: 0.9, history: 'late', noise: 0.5 };
    const { pd, contributions } = gbdtExplain(model, risky);
    expect(pd).toBeCloseTo(gbdtPd(model, risky), 12);
    expect(pd).toBeGreaterThan(0.3);
    expect(contributions[0]?.feature).not.toBe('noise');
    const noise = contributions.find((c) => c.feature === 'noise');
    expect(Math.abs(noise?.logOdds ?? 0)).toBeLessThan(Math.abs(contributions[0]?.logOdds ?? 0));
  });

  it('handles missing and unseen values', () => {
    expect(gbdtPd(model, { utilisation: null, history: 'never-seen', noise: null })).toBeGreaterThan(0);
  });
});
