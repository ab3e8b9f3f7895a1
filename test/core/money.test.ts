import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../src/core/errors.js';
import { splitProportionally } from '../../src/core/money/allocate.js';
import { type CurrencyCode, minorDigits, parseCurrency } from '../../src/core/money/currency.js';
import { convert } from '../../src/core/money/fx.js';
import { add, money, sumMinor } from '../../src/core/money/money.js';
import { formatGroupedAmount, formatMajorAmount, parseMajorAmount } from '../../src/core/money/parse.js';
import { divideRounded } from '../../src/core/money/rounding.js';

const CNY = parseCurrency('CNY', 'currency');
const USD = parseCurrency('USD', 'currency');
const JPY = parseCurrency('JPY', 'currency');
const KWD = parseCurrency('KWD', 'currency');

describe('currencies', () => {
  it('knows ISO 4217 minor-unit digits', () => {
    expect([CNY, JPY, KWD].map(minorDigits)).toEqual([2, 0, 3]);
  });

  it('rejects codes that are not ISO 4217, naming the field', () => {
    for (const bad of ['cny', 'XXXX', 'ABC', '']) {
      expect(() => parseCurrency(bad, 'currency')).toThrow(DomainError);
    }
    try {
      parseCurrency('RMB', 'currency');
    } catch (error) {
      expect((error as DomainError).field).toBe('currency');
      expect((error as DomainError).code).toBe('invalid_currency');
    }
  });
});

describe('parsing major-unit amounts', () => {
  it('converts exactly, without floats', () => {
    expect(parseMajorAmount('1234.56', CNY, 'amount')).toBe(123_456);
    expect(parseMajorAmount('0.1', CNY, 'amount')).toBe(10);
    expect(parseMajorAmount('1000', JPY, 'amount')).toBe(1000);
    expect(parseMajorAmount('1.005', KWD, 'amount')).toBe(1005);
    expect(parseMajorAmount('-3.20', USD, 'amount')).toBe(-320);
    // 0.1 + 0.2 style drift would show here with floats.
    expect(parseMajorAmount('19999999.99', CNY, 'amount')).toBe(1_999_999_999);
  });

  it('refuses more decimals than the currency has, and non-numbers', () => {
    for (const bad of ['1.005', '1e3', '12,50', 'abc', '', '1.', '.5']) {
      expect(() => parseMajorAmount(bad, CNY, 'amount'), bad).toThrow(/amount/);
    }
    expect(() => parseMajorAmount('1.5', JPY, 'amount')).toThrow(/JPY has 0/);
    expect(() => parseMajorAmount('99999999999999999', CNY, 'amount')).toThrow(/too large/);
  });

  it('formats and parses back to the same minor units', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1e12, max: 1e12 }),
        fc.constantFrom(CNY, JPY, KWD),
        (minor, currency) => {
          expect(parseMajorAmount(formatMajorAmount(minor, currency), currency, 'amount')).toBe(minor);
        },
      ),
    );
  });

  it('groups thousands for people, the digits unchanged', () => {
    expect(formatGroupedAmount(123_456_789, CNY)).toBe('1,234,567.89');
    expect(formatGroupedAmount(-100_000, CNY)).toBe('-1,000.00');
    expect(formatGroupedAmount(99_999, CNY)).toBe('999.99');
    expect(formatGroupedAmount(1_234_567, JPY)).toBe('1,234,567');
    fc.assert(
      fc.property(
        fc.integer({ min: -1e12, max: 1e12 }),
        fc.constantFrom(CNY, JPY, KWD),
        (minor, currency) => {
          expect(formatGroupedAmount(minor, currency).replaceAll(',', '')).toBe(
            formatMajorAmount(minor, currency),
          );
        },
      ),
    );
  });
});

describe('arithmetic', () => {
  it('refuses to add different currencies', () => {
    expect(() => add(money(1, CNY), money(1, USD))).toThrow(/without FX/);
  });

  it('refuses unsafe integers as input out of range, and a fraction as a bug', () => {
    let caught: unknown;
    try {
      sumMinor([Number.MAX_SAFE_INTEGER, 1]);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(DomainError);
    expect((caught as DomainError).code).toBe('amount_out_of_range');
    expect(() => money(0.5, CNY)).toThrow(/invariant violated: amount 0.5 is not a whole number/);
  });
});

describe('rounding', () => {
  it('rounds half-even and half-up as named', () => {
    const cases: [bigint, bigint, bigint, bigint][] = [
      // numerator, denominator, half_even, half_up
      [5n, 2n, 2n, 3n],
      [7n, 2n, 4n, 4n],
      [-5n, 2n, -2n, -3n],
      [10n, 4n, 2n, 3n],
      [11n, 4n, 3n, 3n],
      [1n, 3n, 0n, 0n],
      [2n, 3n, 1n, 1n],
    ];
    for (const [n, d, even, up] of cases) {
      expect(divideRounded(n, d, 'half_even'), `${n}/${d} half_even`).toBe(even);
      expect(divideRounded(n, d, 'half_up'), `${n}/${d} half_up`).toBe(up);
    }
    expect(divideRounded(9n, 4n, 'down')).toBe(2n);
  });

  it('never strays more than half a unit from the exact quotient', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }),
        fc.bigInt({ min: 1n, max: 10n ** 9n }),
        (n, d) => {
          const q = divideRounded(n, d, 'half_even');
          const diff = q * d - n;
          expect((diff < 0n ? -diff : diff) * 2n <= d).toBe(true);
        },
      ),
    );
  });
});

describe('FX conversion', () => {
  const usdCny = { base: USD, quote: CNY, rate: 7.1234 };

  it('converts in both directions with the named rounding', () => {
    expect(convert(money(100_00, USD), CNY, usdCny, 'half_even')).toEqual(money(712_34, CNY));
    expect(convert(money(712_34, CNY), USD, usdCny, 'half_even')).toEqual(money(100_00, USD));
    expect(convert(money(1, USD), CNY, usdCny, 'half_up')).toEqual(money(7, CNY));
    expect(convert(money(100, JPY), JPY, { base: JPY, quote: CNY, rate: 0.05 }, 'half_even')).toEqual(
      money(100, JPY),
    );
  });

  it('handles currencies with different minor digits', () => {
    // 10,000 JPY at 0.0482 CNY per JPY = 482.00 CNY.
    expect(convert(money(10_000, JPY), CNY, { base: JPY, quote: CNY, rate: 0.0482 }, 'half_even')).toEqual(
      money(482_00, CNY),
    );
  });

  it('refuses a rate for other currencies and a non-positive rate', () => {
    expect(() => convert(money(1, CNY), JPY, usdCny, 'half_even')).toThrow(/cannot convert/);
    expect(() => convert(money(1, USD), CNY, { ...usdCny, rate: 0 }, 'half_even')).toThrow(DomainError);
  });

  it('a round trip loses at most the rounding of the two steps', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e12 }),
        fc.double({ min: 0.01, max: 200, noNaN: true }),
        (minor, rate) => {
          const fx = { base: USD as CurrencyCode, quote: CNY, rate };
          const there = convert(money(minor, USD), CNY, fx, 'half_even');
          const back = convert(there, USD, fx, 'half_even');
          expect(Math.abs(back.amountMinor - minor)).toBeLessThanOrEqual(Math.ceil(0.5 / rate + 0.5) + 1);
        },
      ),
    );
  });
});

describe('proportional split', () => {
  it('never creates or loses a minor unit', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1e13, max: 1e13 }),
        fc
          .array(fc.integer({ min: 0, max: 1e6 }), { minLength: 1, maxLength: 30 })
          .filter((w) => w.some((x) => x > 0)),
        (total, weights) => {
          const parts = splitProportionally(total, weights);
          expect(sumMinor(parts)).toBe(total);
          parts.forEach((part, i) => {
            const exact = (total * (weights[i] ?? 0)) / sumMinor(weights);
            expect(Math.abs(part - exact)).toBeLessThan(1 + 1e-6 * Math.abs(exact));
          });
        },
      ),
    );
  });

  it('splits 100.00 three ways as 33.34 / 33.33 / 33.33', () => {
    expect(splitProportionally(100_00, [1, 1, 1])).toEqual([33_34, 33_33, 33_33]);
  });
});
