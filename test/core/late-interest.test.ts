import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lateInterest } from '../../src/core/receivables/late-interest.js';
import { addDays, type BusinessDate } from '../../src/core/time/business-date.js';

const d = (s: string) => s as BusinessDate;

describe('late-payment interest', () => {
  it('computes simple interest actual/365 on the balance outstanding each day (hand-checked)', () => {
    // 100,000.00 due 31 Jan, 10 days' grace; 40,000.00 paid 2 Mar; the rest 1 Apr; rate 8 % a year.
    // 10 Feb → 2 Mar: 20 days × 100,000.00; 2 Mar → 1 Apr: 30 days × 60,000.00.
    // (100,000.00 × 20 + 60,000.00 × 30) × 8 % ÷ 365 = (2,000,000 + 1,800,000) × 0.08 ÷ 365 = 832.88
    const result = lateInterest(
      {
        dueDate: d('2026-01-31'),
        amountMinor: 10_000_000,
        reductions: [
          { on: d('2026-03-02'), amountMinor: 4_000_000 },
          { on: d('2026-04-01'), amountMinor: 6_000_000 },
        ],
      },
      { ratePercent: 8, graceDays: 10 },
      d('2026-06-30'),
    );
    expect(result).toEqual({ interestMinor: 83_288, daysLate: 50, startsOn: '2026-02-10' });
  });

  it('charges nothing within grace, and counts an open balance up to the as-of date', () => {
    const invoice = { dueDate: d('2026-01-31'), amountMinor: 36_500_00, reductions: [] };
    expect(lateInterest(invoice, { ratePercent: 10, graceDays: 5 }, d('2026-02-05')).interestMinor).toBe(0);
    // 36,500.00 × 10 % ÷ 365 = 10.00 a day; 10 days after grace.
    expect(lateInterest(invoice, { ratePercent: 10, graceDays: 5 }, d('2026-02-15')).interestMinor).toBe(
      10_000,
    );
  });

  it('never falls when the as-of date moves later, and is zero at a zero rate', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000_000 }),
        fc.integer({ min: 0, max: 400 }),
        fc.integer({ min: 0, max: 400 }),
        fc.integer({ min: 0, max: 30 }),
        (amountMinor, paidAfter, later, grace) => {
          const invoice = {
            dueDate: d('2026-01-31'),
            amountMinor,
            reductions: [{ on: addDays(d('2026-01-31'), paidAfter), amountMinor }],
          };
          const asOf = addDays(d('2026-01-31'), 200);
          const now = lateInterest(invoice, { ratePercent: 12, graceDays: grace }, asOf).interestMinor;
          const after = lateInterest(
            invoice,
            { ratePercent: 12, graceDays: grace },
            addDays(asOf, later),
          ).interestMinor;
          expect(after).toBeGreaterThanOrEqual(now);
          expect(lateInterest(invoice, { ratePercent: 0, graceDays: grace }, asOf).interestMinor).toBe(0);
        },
      ),
    );
  });
});
