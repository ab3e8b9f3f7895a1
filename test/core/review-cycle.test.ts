import { describe, expect, it } from 'vitest';
import { nextReviewOn, reviewDue } from '../../src/core/reviews/review-cycle.js';
import type { BusinessDate } from '../../src/core/time/business-date.js';

const d = (s: string) => s as BusinessDate;

describe('the review cycle', () => {
  it('sets the next review a cycle of the risk class later, month-end safe', () => {
    expect(nextReviewOn(d('2025-11-30'), 'A')).toBe('2026-11-30');
    expect(nextReviewOn(d('2025-11-30'), 'D')).toBe('2026-02-28');
    expect(nextReviewOn(d('2026-01-31'), 'E')).toBe('2026-02-28');
    expect(nextReviewOn(d('2026-01-31'), 'C', { A: 12, B: 12, C: 2, D: 1, E: 1 })).toBe('2026-03-31');
  });

  it('is due where the last review set it, or a cycle after trading began; overdue days never negative', () => {
    expect(reviewDue(d('2026-02-28'), d('2020-01-01'), 'D', d('2026-03-31'))).toEqual({
      dueOn: '2026-02-28',
      daysOverdue: 31,
    });
    expect(reviewDue(null, d('2025-09-15'), 'C', d('2026-03-31'))).toEqual({
      dueOn: '2026-03-15',
      daysOverdue: 16,
    });
    expect(reviewDue(null, d('2026-01-10'), 'B', d('2026-03-31'))).toEqual({
      dueOn: '2027-01-10',
      daysOverdue: 0,
    });
  });
});
