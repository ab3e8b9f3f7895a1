import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { judgePlan, planSchedule } from '../../src/core/collections/payment-plan.js';
import type { BusinessDate } from '../../src/core/time/business-date.js';

const d = (s: string) => s as BusinessDate;

describe('payment plans', () => {
  it('splits the principal exactly and charges interest on what is left (hand-checked)', () => {
    const schedule = planSchedule({
      totalMinor: 100_000,
      count: 3,
      startsOn: d('2026-01-01'),
      firstDueOn: d('2026-01-31'),
      intervalDays: 30,
      annualRatePercent: 12,
    });
    // 33,334 + 33,333 + 33,333; interest 1,000.00 × 12 % × 30/365 = 9.86, then 6.58, 3.29.
    expect(schedule.map((i) => i.principalMinor)).toEqual([33_334, 33_333, 33_333]);
    expect(schedule.map((i) => i.interestMinor)).toEqual([986, 658, 329]);
    expect(schedule.map((i) => i.dueOn)).toEqual(['2026-01-31', '2026-03-02', '2026-04-01']);
  });

  it('principal parts always add up to the total', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e12 }), fc.integer({ min: 1, max: 60 }), (total, count) => {
        const schedule = planSchedule({
          totalMinor: total,
          count,
          startsOn: d('2026-01-01'),
          firstDueOn: d('2026-02-01'),
          intervalDays: 30,
          annualRatePercent: 0,
        });
        expect(schedule.reduce((s, i) => s + i.principalMinor, 0)).toBe(total);
        expect(schedule.every((i) => i.interestMinor === 0)).toBe(true);
      }),
    );
  });

  it('is kept while paid on time (with grace), broken at the first instalment short, completed when paid', () => {
    const schedule = planSchedule({
      totalMinor: 90_000,
      count: 3,
      startsOn: d('2026-01-01'),
      firstDueOn: d('2026-01-31'),
      intervalDays: 30,
      annualRatePercent: 0,
    });
    const first = [{ on: d('2026-02-03'), amountMinor: 30_000 }];
    expect(judgePlan(schedule, first, 5, d('2026-02-10'))).toMatchObject({
      status: 'kept',
      paidMinor: 30_000,
    });
    expect(
      judgePlan(schedule, [{ on: d('2026-02-06'), amountMinor: 30_000 }], 5, d('2026-02-10')),
    ).toMatchObject({
      status: 'broken',
      missedSeq: 1,
    });
    expect(judgePlan(schedule, first, 5, d('2026-03-08'))).toMatchObject({ status: 'broken', missedSeq: 2 });
    expect(judgePlan(schedule, first, 5, d('2026-03-07'))).toMatchObject({ status: 'kept' });
    expect(
      judgePlan(schedule, [{ on: d('2026-01-20'), amountMinor: 90_000 }], 0, d('2026-01-21')).status,
    ).toBe('completed');
  });
});
