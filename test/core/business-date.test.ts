import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  addMonths,
  type BusinessDate,
  businessDateOf,
  daysBetween,
  fromEpochDay,
  isBusinessDate,
  parseBusinessDate,
  toEpochDay,
} from '../../src/core/time/business-date.js';

describe('business dates', () => {
  it('accepts real calendar dates only', () => {
    expect(['2024-02-29', '2026-12-31', '2026-01-01'].every(isBusinessDate)).toBe(true);
    expect(['2025-02-29', '2026-13-01', '2026-04-31', '2026-1-1', '20260101', ''].some(isBusinessDate)).toBe(
      false,
    );
    expect(() => parseBusinessDate('2026-02-30', 'dueDate')).toThrow(
      expect.objectContaining({ field: 'dueDate' }),
    );
  });

  it('counts days across month and year ends', () => {
    expect(daysBetween('2026-01-31' as BusinessDate, '2026-03-01' as BusinessDate)).toBe(29);
    expect(addDays('2025-12-31' as BusinessDate, 1)).toBe('2026-01-01');
    expect(addMonths('2026-01-31' as BusinessDate, 1)).toBe('2026-02-28');
    expect(addMonths('2026-03-15' as BusinessDate, -24)).toBe('2024-03-15');
  });

  it('counts epoch days from the digits exactly as the calendar does, leap years and centuries included', () => {
    expect(toEpochDay('1970-01-01' as BusinessDate)).toBe(0);
    expect(toEpochDay('2000-02-29' as BusinessDate)).toBe(11_016);
    expect(toEpochDay('1900-03-01' as BusinessDate) - toEpochDay('1900-02-28' as BusinessDate)).toBe(1);
    fc.assert(
      fc.property(fc.integer({ min: -80_000, max: 120_000 }), (day) => {
        const date = new Date(day * 86_400_000).toISOString().slice(0, 10) as BusinessDate;
        expect(toEpochDay(date)).toBe(Date.parse(`${date}T00:00:00Z`) / 86_400_000);
        expect(fromEpochDay(day)).toBe(date);
        // Any instant of that day, from its first millisecond to its last.
        expect(businessDateOf(new Date(day * 86_400_000))).toBe(date);
        expect(businessDateOf(new Date((day + 1) * 86_400_000 - 1))).toBe(date);
      }),
      { numRuns: 2_000 },
    );
  });

  it('adds months as the calendar does: the same day, or the last day of a shorter month', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -80_000, max: 120_000 }),
        fc.integer({ min: -300, max: 300 }),
        (day, months) => {
          const date = fromEpochDay(day);
          const [y, m, d] = date.split('-').map(Number) as [number, number, number];
          const first = new Date(Date.UTC(y, m - 1 + months, 1));
          const lastDay = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
          first.setUTCDate(Math.min(d, lastDay));
          expect(addMonths(date, months)).toBe(first.toISOString().slice(0, 10));
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it('addDays and daysBetween are inverse', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 40_000 }),
        fc.integer({ min: -5_000, max: 5_000 }),
        (start, delta) => {
          const from = addDays('1970-01-01' as BusinessDate, start);
          expect(daysBetween(from, addDays(from, delta))).toBe(delta);
        },
      ),
    );
  });
});
