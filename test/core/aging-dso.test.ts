import { describe, expect, it } from 'vitest';
import { bucketBoundaries, bucketOf } from '../../src/core/receivables/aging.js';
import {
  addMonths,
  averageDaysDelinquent,
  badDebtRatio,
  bestPossibleDso,
  collectionEffectiveness,
  countbackDso,
  daysInMonth,
  monthsBetween,
  simpleDso,
} from '../../src/core/receivables/dso.js';
import { addDays, type BusinessDate, daysBetween } from '../../src/core/time/business-date.js';

describe('aging buckets', () => {
  it('puts days past due into current, 1–30, 31–60, 61–90, over 90', () => {
    expect([-5, 0, 1, 30, 31, 60, 61, 90, 91, 400].map(bucketOf)).toEqual([
      'currentMinor',
      'currentMinor',
      'd1to30Minor',
      'd1to30Minor',
      'd31to60Minor',
      'd31to60Minor',
      'd61to90Minor',
      'd61to90Minor',
      'over90Minor',
      'over90Minor',
    ]);
  });

  it('date boundaries agree with days past due for every due date', () => {
    const asOf = '2026-03-31' as BusinessDate;
    const bounds = bucketBoundaries(asOf);
    for (let offset = -20; offset <= 200; offset++) {
      const due = addDays(asOf, -offset);
      const byDate = bounds.find((b) => b.dueOnOrAfter === null || due >= b.dueOnOrAfter)?.bucket;
      expect(byDate, due).toBe(bucketOf(daysBetween(due, asOf)));
    }
  });
});

describe('DSO', () => {
  it('simple: receivables ÷ credit sales × days', () => {
    expect(simpleDso(1_500, 1_000, 31)).toBe(46.5);
    expect(simpleDso(100, 0, 31)).toBeNull();
  });

  it('countback: the worked example of FORMULAS.md (AR 1,500; March 1,000; February 800 → 48.5 days)', () => {
    expect(
      countbackDso(1_500, [
        { creditSalesMinor: 1_000, days: 31 },
        { creditSalesMinor: 800, days: 28 },
      ]),
    ).toBe(48.5);
  });

  it('countback spanning several months, and a lower bound when history runs out', () => {
    // 3,000 of receivables: March 1,000 (31 d), February 800 (28 d), January 900 (31 d), then 300 of December's 600.
    const months = [
      { creditSalesMinor: 1_000, days: 31 },
      { creditSalesMinor: 800, days: 28 },
      { creditSalesMinor: 900, days: 31 },
      { creditSalesMinor: 600, days: 31 },
    ];
    expect(countbackDso(3_000, months)).toBeCloseTo(31 + 28 + 31 + 15.5, 10);
    expect(countbackDso(10_000, months)).toBe(121);
    expect(countbackDso(0, months)).toBe(0);
  });

  it('best-possible DSO, ADD, CEI and bad-debt ratio by hand', () => {
    // March: 1,000 of sales; 1,500 receivable at month end of which 600 not yet due.
    const dso = simpleDso(1_500, 1_000, 31) as number; // 46.5 days
    const best = bestPossibleDso(600, 1_000, 31) as number; // 18.6 days
    expect(best).toBeCloseTo(18.6, 10);
    expect(averageDaysDelinquent(dso, best)).toBeCloseTo(27.9, 10);
    expect(averageDaysDelinquent(null, best)).toBeNull();
    // Opened at 1,200; collected 1,200 + 1,000 − 1,500 = 700 of the 1,200 + 1,000 − 600 = 1,600 collectible.
    expect(
      collectionEffectiveness({
        openingMinor: 1_200,
        creditSalesMinor: 1_000,
        endingTotalMinor: 1_500,
        endingCurrentMinor: 600,
      }),
    ).toBeCloseTo(43.75, 10);
    expect(
      collectionEffectiveness({
        openingMinor: 0,
        creditSalesMinor: 0,
        endingTotalMinor: 0,
        endingCurrentMinor: 0,
      }),
    ).toBeNull();
    expect(badDebtRatio(25, 1_000)).toBe(0.025);
    expect(badDebtRatio(25, 0)).toBeNull();
  });

  it('knows month lengths and lists month ranges', () => {
    expect(['2024-02', '2026-02', '2026-04', '2026-12'].map(daysInMonth)).toEqual([29, 28, 30, 31]);
    expect(monthsBetween('2025-11', '2026-02')).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
    expect([addMonths('2026-01', -1), addMonths('2026-03', -23), addMonths('2025-12', 1)]).toEqual([
      '2025-12',
      '2024-04',
      '2026-01',
    ]);
  });
});
