import { describe, expect, it } from 'vitest';
import { cohortTotals } from '../../src/core/provisions/cohort-source.js';
import {
  type CohortItem,
  DEFAULT_PROVISION_SETTINGS,
  lossOf,
  provisionMatrix,
} from '../../src/core/provisions/provision-matrix.js';
import { bookReserve } from '../../src/core/provisions/reserve.js';
import type { BusinessDate } from '../../src/core/time/business-date.js';

const d = (s: string) => s as BusinessDate;

describe('the provision matrix by the loss-rate method', () => {
  const settings = { ...DEFAULT_PROVISION_SETTINGS, lossDaysPastDue: 365 };

  it('counts write-offs within the horizon, and what is still open 365+ days past due at its end', () => {
    const item = {
      dueDate: d('2024-01-31'),
      openMinor: 1_000,
      writtenOffMinor: 300,
      openAtHorizonMinor: 500,
    };
    expect(lossOf(item, d('2025-01-31'), settings)).toBe(800); // 366 days past due at the horizon
    expect(lossOf(item, d('2025-01-29'), settings)).toBe(300); // 364: not yet counted as lost
    expect(lossOf({ ...item, writtenOffMinor: 900 }, d('2025-01-31'), settings)).toBe(1_000); // never above what was open
    expect(lossOf(item, d('2025-01-31'), { ...settings, lossDaysPastDue: 0 })).toBe(300); // write-offs only
  });

  it('a hand-computed matrix over two month-ends, and the reserve it gives', () => {
    // Month-end 2024-01-31 (horizon 2025-01-31):
    //   current (due 2024-02-15): 10,000 open, 100 written off             → loss 100
    //   1–30    (due 2024-01-10):  2,000 open, nothing lost                 → loss 0
    //   over 90 (due 2023-09-30):  1,000 open, 200 written off, 800 still open, 489 dpd → loss 1,000
    // Month-end 2024-02-29 (horizon 2025-02-28):
    //   current (due 2024-03-20): 30,000 open, 500 written off             → loss 500
    //   1–30    (due 2024-02-09):  3,000 open, 150 written off              → loss 150
    //   31–60   (due 2024-01-20):  4,000 open, 400 open at the horizon, 405 dpd → loss 400
    // Each month-end's items summed by currency and bucket (what a month-end keeps), then the matrix.
    const cohort = (monthEnd: string, horizonEnd: string, items: CohortItem[]) => {
      const span = { monthEnd: d(monthEnd), horizonEnd: d(horizonEnd) };
      const own = items.map((item) => ({ ...item, currency: 'CNY' }));
      return { ...span, totals: cohortTotals(own, span, settings.lossDaysPastDue) };
    };
    const matrix = provisionMatrix(
      [
        cohort('2024-01-31', '2025-01-31', [
          { dueDate: d('2024-02-15'), openMinor: 10_000, writtenOffMinor: 100, openAtHorizonMinor: 0 },
          { dueDate: d('2024-01-10'), openMinor: 2_000, writtenOffMinor: 0, openAtHorizonMinor: 0 },
          { dueDate: d('2023-09-30'), openMinor: 1_000, writtenOffMinor: 200, openAtHorizonMinor: 800 },
        ]),
        cohort('2024-02-29', '2025-02-28', [
          { dueDate: d('2024-03-20'), openMinor: 30_000, writtenOffMinor: 500, openAtHorizonMinor: 0 },
          { dueDate: d('2024-02-09'), openMinor: 3_000, writtenOffMinor: 150, openAtHorizonMinor: 0 },
          { dueDate: d('2024-01-20'), openMinor: 4_000, writtenOffMinor: 0, openAtHorizonMinor: 400 },
        ]),
      ],
      () => 1,
      { overlay: 1.1 },
    );
    const rate = (bucket: string) => matrix.find((m) => m.bucket === bucket);
    expect(rate('currentMinor')).toMatchObject({
      balanceMinor: 40_000,
      lossMinor: 600,
      historicalRate: 0.015,
    });
    expect(rate('currentMinor')?.lossRate).toBeCloseTo(0.0165, 12);
    expect(rate('d1to30Minor')).toMatchObject({ balanceMinor: 5_000, lossMinor: 150, historicalRate: 0.03 });
    expect(rate('d31to60Minor')).toMatchObject({ balanceMinor: 4_000, lossMinor: 400, historicalRate: 0.1 });
    expect(rate('d61to90Minor')).toMatchObject({
      balanceMinor: 0,
      lossMinor: 0,
      historicalRate: 0,
      lossRate: 0,
    });
    expect(rate('over90Minor')).toMatchObject({
      balanceMinor: 1_000,
      lossMinor: 1_000,
      historicalRate: 1,
      lossRate: 1,
    });

    // As of 2024-06-30: one invoice in each bucket (due 07-15, 06-15, 05-15, 04-15, 03-15).
    const open = (dueDate: string, amountMinor: number, i: number) => ({
      invoiceId: `R${i}`,
      customerId: 'c',
      currency: 'CNY',
      issueDate: d('2024-01-01'),
      dueDate: d(dueDate),
      amountMinor,
      reductions: [],
      settledOn: null,
      rate: 1,
    });
    const reserve = bookReserve(
      [
        open('2024-07-15', 100_000, 0),
        open('2024-06-15', 20_000, 1),
        open('2024-05-15', 5_000, 2),
        open('2024-04-15', 1_000, 3),
        open('2024-03-15', 333, 4),
      ],
      d('2024-06-30'),
      matrix,
    );
    // 100,000 × 1.65 % = 1,650; 20,000 × 3.3 % = 660; 5,000 × 11 % = 550; 1,000 × 0 = 0; 333 × 100 % = 333.
    expect(reserve.buckets.map((l) => l.reserveMinor)).toEqual([1_650, 660, 550, 0, 333]);
  });
});
