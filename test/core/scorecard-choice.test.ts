import { describe, expect, it } from 'vitest';
import type { Column } from '../../src/core/scoring/binning.js';
import { auc } from '../../src/core/scoring/metrics.js';
import { fitScorecard, type ScorecardModel, scorecardPd } from '../../src/core/scoring/scorecard.js';
import { fitScorecardChoosing } from '../../src/core/scoring/scorecard-choice.js';

function lcg(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

/** Rows from `risk` (log-odds of each row's columns), split 70/30 into train and test. */
function book(
  n: number,
  seed: number,
  make: (rnd: () => number) => { values: Record<string, number | null>; z: number },
) {
  const rnd = lcg(seed);
  const rows = Array.from({ length: n }, () => {
    const { values, z } = make(rnd);
    return { values, bad: rnd() < 1 / (1 + Math.exp(-z)) ? 1 : 0 };
  });
  const part = (from: number, to: number) => {
    const slice = rows.slice(from, to);
    const names = Object.keys(slice[0]?.values ?? {});
    const columns: Column[] = names.map((name) => ({
      name,
      kind: 'numeric',
      values: slice.map((r) => r.values[name] ?? null),
    }));
    return { columns, outcomes: slice.map((r) => r.bad), rows: slice.map((r) => r.values) };
  };
  return { train: part(0, Math.floor(n * 0.7)), test: part(Math.floor(n * 0.7), n) };
}

const testAuc = (model: ScorecardModel, test: ReturnType<typeof book>['test']) =>
  auc(
    test.rows.map((r) => scorecardPd(model, r)),
    test.outcomes,
  );

describe('choosing how to read columns and which form of scorecard to keep, on training rows only', () => {
  it('reads whole-number area codes with unordered risks as categories, and ranks better for it', () => {
    const areaRisk = Array.from({ length: 30 }, (_, i) => ((i * 7919) % 13) / 4 - 1.5);
    const { train, test } = book(12_000, 3, (rnd) => {
      const area = Math.floor(rnd() * 30) + 1;
      const income = rnd() * 10;
      return { values: { area, income }, z: -2 + (areaRisk[area - 1] as number) - 0.15 * income };
    });
    const plain = fitScorecard(train.columns, train.outcomes, 'bad');
    const chosen = fitScorecardChoosing(train.columns, train.outcomes, 'bad');
    expect(chosen.training.choice.codes).toEqual(['area']);
    expect(chosen.training.choice.chosen).not.toBe('woe');
    expect(testAuc(chosen, test)).toBeGreaterThan(testAuc(plain, test) + 0.01);
  });

  it('enters a smooth driver as a standardised value where ten bins lose what lies within them', () => {
    const { train, test } = book(30_000, 5, (rnd) => {
      const ratio = rnd() * 2 - 1;
      const leverage = rnd() * 2 - 1;
      return { values: { ratio, leverage }, z: -1.5 + 6 * ratio - 4 * leverage };
    });
    const plain = fitScorecard(train.columns, train.outcomes, 'bad');
    const chosen = fitScorecardChoosing(train.columns, train.outcomes, 'bad');
    expect(chosen.training.choice.chosen).toBe('linear');
    expect(chosen.training.choice.linear.sort()).toEqual(['leverage', 'ratio']);
    expect(testAuc(chosen, test)).toBeGreaterThan(testAuc(plain, test) + 0.003);
    // Points and reasons still work on a linear feature: worse values cost points.
    expect(chosen.features.every((f) => f.linear)).toBe(true);
  });

  it('keeps the plain WoE scorecard when nothing beats it by more than noise', () => {
    const { train } = book(3_000, 9, (rnd) => {
      const overdue = Math.floor(rnd() * 4);
      return { values: { overdue, noise: rnd() }, z: -2 + 0.6 * overdue };
    });
    const chosen = fitScorecardChoosing(train.columns, train.outcomes, 'bad');
    expect(chosen.training.choice.chosen).toBe('woe');
    expect(chosen.features.some((f) => f.linear)).toBe(false);
  });
});
