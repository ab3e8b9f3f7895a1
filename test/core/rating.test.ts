import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { altmanZDoublePrime, altmanZPrime } from '../../src/core/rating/altman.js';
import { gradeOf, MASTER_SCALE, riskClassOfGrade } from '../../src/core/rating/master-scale.js';

describe('master scale', () => {
  it('maps PD to grade and risk class at the bounds', () => {
    expect(gradeOf(0)).toEqual({ grade: 1, riskClass: 'A' });
    expect(gradeOf(0.001)).toEqual({ grade: 1, riskClass: 'A' });
    expect(gradeOf(0.0011)).toEqual({ grade: 2, riskClass: 'A' });
    expect(gradeOf(0.03)).toEqual({ grade: 6, riskClass: 'C' });
    expect(gradeOf(0.5)).toEqual({ grade: 10, riskClass: 'E' });
    expect(riskClassOfGrade(7)).toBe('D');
    expect(() => gradeOf(1.5)).toThrow(/PD/);
    expect(() => riskClassOfGrade(11)).toThrow(/grade/);
  });

  it('a higher PD never gets a better grade', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (a, b) => {
          const [low, high] = a <= b ? [a, b] : [b, a];
          expect(gradeOf(low).grade).toBeLessThanOrEqual(gradeOf(high).grade);
        },
      ),
    );
    expect(MASTER_SCALE.map((r) => r.grade)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });
});

describe('Altman Z-scores', () => {
  const firm = {
    totalAssets: 1_000,
    totalLiabilities: 600,
    workingCapital: 200,
    retainedEarnings: 150,
    ebit: 80,
    bookEquity: 400,
    sales: 1_200,
  };

  it('computes Z″ by hand: 6.56·0.2 + 3.26·0.15 + 6.72·0.08 + 1.05·(400/600)', () => {
    const expected = 6.56 * 0.2 + 3.26 * 0.15 + 6.72 * 0.08 + 1.05 * (400 / 600);
    expect(altmanZDoublePrime(firm)?.z).toBeCloseTo(expected, 12);
    // 1.312 + 0.489 + 0.5376 + 0.7 = 3.04: safe; a thinner firm lands in the grey zone.
    expect(altmanZDoublePrime(firm)?.zone).toBe('safe');
    expect(altmanZDoublePrime({ ...firm, workingCapital: 50, retainedEarnings: 50, ebit: 20 })?.zone).toBe(
      'grey',
    );
    expect(altmanZDoublePrime({ ...firm, workingCapital: -300, ebit: -50 })?.zone).toBe('distress');
  });

  it('computes Z′ with sales, and refuses meaningless balance sheets', () => {
    const expected = 0.717 * 0.2 + 0.847 * 0.15 + 3.107 * 0.08 + 0.42 * (400 / 600) + 0.998 * 1.2;
    expect(altmanZPrime(firm)?.z).toBeCloseTo(expected, 12);
    expect(altmanZDoublePrime({ ...firm, totalAssets: 0 })).toBeNull();
    expect(altmanZPrime({ ...firm, sales: undefined })).toBeNull();
  });
});
