import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { calibrationTable, scorePsi } from '../../src/core/scoring/metrics.js';
import { recalibrationShift } from '../../src/core/scoring/recalibration.js';

describe('calibration table and score PSI', () => {
  it('groups by predicted PD and compares with what happened (hand-checked)', () => {
    const scores = [0.1, 0.2, 0.3, 0.4, 0.6, 0.7, 0.8, 0.9];
    const outcomes = [0, 0, 1, 0, 1, 1, 0, 1];
    const table = calibrationTable(scores, outcomes, 2);
    expect(table.map((r) => [r.count, r.pdFrom, r.pdTo, r.observedRate])).toEqual([
      [4, 0.1, 0.4, 0.25],
      [4, 0.6, 0.9, 0.75],
    ]);
    expect(table[0]?.meanPd).toBeCloseTo(0.25, 12);
    expect(table[1]?.meanPd).toBeCloseTo(0.75, 12);
  });

  it('scores the same distribution as stable and a shifted one as shifted', () => {
    const reference = Array.from({ length: 1000 }, (_, i) => i / 1000);
    expect(scorePsi(reference, reference)).toBe(0);
    const shifted = reference.map((x) => Math.min(0.999, x + 0.3));
    expect(scorePsi(reference, shifted)).toBeGreaterThan(0.25);
  });
});

describe('recalibration in the large', () => {
  const flat = { intercept: 0, coefficients: [0] };
  const rows = (n: number) => Array.from({ length: n }, () => [1]);
  const outcomes = (n: number, bads: number) => Array.from({ length: n }, (_, i) => (i < bads ? 1 : 0));

  it('moves the intercept to the observed rate: every PD 0.5, 20 bads in 100 → ln(0.2 ÷ 0.8)', () => {
    const r = recalibrationShift(flat, rows(100), outcomes(100, 20));
    expect(r).toMatchObject({ rows: 100, observedRate: 0.2, meanPdBefore: 0.5 });
    expect(r.interceptShift).toBeCloseTo(Math.log(0.2 / 0.8), 10);
  });

  it('leaves a model alone when the gap is sampling noise (0.45 against 0.5 in 100: within 2 standard errors)', () => {
    expect(recalibrationShift(flat, rows(100), outcomes(100, 45)).interceptShift).toBe(0);
    // The same gap on 10,000 rows is not noise.
    expect(recalibrationShift(flat, rows(10_000), outcomes(10_000, 4_500)).interceptShift).toBeLessThan(0);
  });

  it('never chases a rate of 0 or 1', () => {
    expect(recalibrationShift(flat, rows(100), outcomes(100, 0)).interceptShift).toBe(0);
    expect(recalibrationShift(flat, rows(100), outcomes(100, 100)).interceptShift).toBe(0);
  });

  it('makes the mean PD equal the observed rate, whatever the spread of scores', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -4, max: 4, noNaN: true }), { minLength: 50, maxLength: 300 }),
        fc.double({ min: 0.05, max: 0.95, noNaN: true }),
        (xs, rate) => {
          const model = { intercept: 1.5, coefficients: [1] };
          const ys = xs.map((_, i) => (i < Math.round(rate * xs.length) ? 1 : 0));
          const observed = ys.reduce((s: number, y) => s + y, 0) / ys.length;
          const { interceptShift, meanPdBefore } = recalibrationShift(
            model,
            xs.map((x) => [x]),
            ys,
          );
          const after =
            xs.reduce((s, x) => s + 1 / (1 + Math.exp(-(1.5 + interceptShift + x))), 0) / xs.length;
          if (interceptShift === 0)
            expect(Math.abs(meanPdBefore - observed)).toBeLessThanOrEqual(
              2 * Math.sqrt((observed * (1 - observed)) / xs.length) + 1e-12,
            );
          else if (observed > 0 && observed < 1) expect(after).toBeCloseTo(observed, 9);
        },
      ),
    );
  });
});
