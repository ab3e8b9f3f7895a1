import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Column } from '../../src/core/scoring/binning.js';
import { fitLogistic, LogisticFitError } from '../../src/core/scoring/logistic.js';
import { fitScorecard, scorecardPd } from '../../src/core/scoring/scorecard.js';

const softplus = (z: number) => (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z)));

function logLikelihood(fit: { intercept: number; coefficients: number[] }, rows: number[][], y: number[]) {
  let ll = 0;
  rows.forEach((x, i) => {
    const z = x.reduce((s, v, j) => s + (fit.coefficients[j] as number) * v, fit.intercept);
    ll += (y[i] as number) * z - softplus(z);
  });
  return ll;
}

function interceptOnly(y: number[]) {
  const mean = y.reduce((s, v) => s + v, 0) / y.length;
  return y.length * (mean * Math.log(mean) + (1 - mean) * Math.log(1 - mean));
}

/** A small deterministic generator, so a failing case can be rebuilt from its seed. */
function lcg(seed: number) {
  let s = seed >>> 0 || 1;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

// Column shapes that broke the undamped Newton fit: quasi-complete separation, constants,
// duplicates and exact multiples, rare huge counts, heavy tails.
const SHAPES = [
  'separating',
  'quasi_separating',
  'constant',
  'duplicate',
  'rare_huge',
  'heavy_tail',
] as const;

function dataset(seed: number, n: number, badRate: number, shapes: readonly (typeof SHAPES)[number][]) {
  const rnd = lcg(seed);
  const rows: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const bad = rnd() < badRate || i === 0 ? 1 : 0;
    const row: number[] = [];
    for (const shape of shapes) {
      if (shape === 'separating') row.push((bad ? 4 : -0.1) + rnd() * 0.2);
      else if (shape === 'quasi_separating') row.push(bad && rnd() < 0.8 ? 6 : -0.3);
      else if (shape === 'constant') row.push(1.7);
      else if (shape === 'duplicate') row.push(row.length > 0 ? 2 * (row[0] as number) : 0.5);
      else if (shape === 'rare_huge') row.push(rnd() < 0.002 ? 1e4 * rnd() : 0);
      else row.push(Math.log1p(Math.exp(10 * rnd())) * (bad ? 1.2 : 1));
    }
    rows.push(row);
    y.push(bad);
  }
  if (!y.includes(0)) y[1] = 0;
  return { rows, y };
}

describe('the logistic fit on data that defeat an undamped Newton step', () => {
  it('converges, finite, and never below the intercept-only log-likelihood (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2 ** 31 }),
        fc.integer({ min: 100, max: 3_000 }),
        fc.double({ min: 0.005, max: 0.1, noNaN: true }),
        fc.array(fc.constantFrom(...SHAPES), { minLength: 1, maxLength: 5 }),
        (seed, n, badRate, shapes) => {
          const { rows, y } = dataset(seed, n, badRate, shapes);
          const fit = fitLogistic(rows, y);
          expect([fit.intercept, ...fit.coefficients].every(Number.isFinite)).toBe(true);
          expect(logLikelihood(fit, rows, y)).toBeGreaterThanOrEqual(interceptOnly(y) - 1e-6);
          expect(fit.logLikelihood).toBeCloseTo(logLikelihood(fit, rows, y), 6);
        },
      ),
      { numRuns: 150, seed: 20261203 },
    );
  });

  it('holds on the case that sent the old fit to an intercept of −5.7·10⁹', () => {
    // A constant column beside a separating one, 1.2 % bad: the undamped step saturated every row.
    const { rows, y } = dataset(7, 2_434, 0.012, ['constant', 'separating']);
    const fit = fitLogistic(rows, y);
    expect(Math.abs(fit.intercept)).toBeLessThan(50);
    expect(fit.logLikelihood).toBeGreaterThan(fit.nullLogLikelihood);
  });

  it('fits 150,000 rows at a 0.5 % bad rate with collinear and heavy-tailed columns', () => {
    const { rows, y } = dataset(11, 150_000, 0.005, [
      'quasi_separating',
      'duplicate',
      'heavy_tail',
      'rare_huge',
    ]);
    const fit = fitLogistic(rows, y);
    expect(fit.logLikelihood).toBeGreaterThan(interceptOnly(y));
  });

  it('a fit that has not converged is an error naming the cause, never a model', () => {
    const { rows, y } = dataset(3, 2_000, 0.05, ['quasi_separating', 'heavy_tail']);
    let caught: unknown;
    try {
      fitLogistic(rows, y, { maxIterations: 1 });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(LogisticFitError);
    expect((caught as LogisticFitError).reason).toBe('not_converged');
  });
});

describe('the scorecard on awkward columns', () => {
  it('fits beside an all-missing column, a column with one huge value and a duplicated column', () => {
    const rnd = lcg(5);
    const n = 20_000;
    const income: (number | null)[] = [];
    const dupe: (number | null)[] = [];
    const empty: (number | null)[] = [];
    const lates: (number | null)[] = [];
    const outcomes: number[] = [];
    for (let i = 0; i < n; i++) {
      const bad = rnd() < 0.02 ? 1 : 0;
      const value = rnd() < 0.1 ? null : Math.exp(rnd() * 12) / (bad ? 3 : 1);
      income.push(value);
      dupe.push(value);
      empty.push(null);
      lates.push(i === 17 ? 98_000 : bad && rnd() < 0.5 ? 3 : rnd() < 0.1 ? 1 : 0);
      outcomes.push(bad);
    }
    const columns: Column[] = [
      { name: 'income', kind: 'numeric', values: income },
      { name: 'income_copy', kind: 'numeric', values: dupe },
      { name: 'all_missing', kind: 'numeric', values: empty },
      { name: 'times_late', kind: 'numeric', values: lates },
    ];
    const model = fitScorecard(columns, outcomes, 'bad');
    const names = model.features.map((f) => f.name);
    expect(names).toContain('income');
    expect(names).not.toContain('income_copy');
    expect(names).not.toContain('all_missing');
    const pds = outcomes.map((_, i) =>
      scorecardPd(model, { income: income[i] ?? null, times_late: lates[i] ?? null }),
    );
    expect(pds.every((p) => p > 0 && p < 1)).toBe(true);
  });
});
