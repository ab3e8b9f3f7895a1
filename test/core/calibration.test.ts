import { describe, expect, it } from 'vitest';
import { calibrationTable, scorePsi } from '../../src/core/scoring/metrics.js';

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
