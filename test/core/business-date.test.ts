import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  addMonths,
  type BusinessDate,
  daysBetween,
  isBusinessDate,
  parseBusinessDate,
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
