import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordCycleReadings } from '../../src/app/cycle/cycle-readings.js';
import { bookAppetite } from '../../src/app/portfolio/appetite.js';
import {
  completePolicyReview,
  listPolicyReviews,
  raisePolicyReviews,
} from '../../src/app/reviews/policy-reviews.js';
import type { Services } from '../../src/app/services.js';
import { latestRegimeChange, policyReviewsDue, quarterOf } from '../../src/core/reviews/policy-review.js';
import type { BusinessDate } from '../../src/core/time/business-date.js';
import { seedDemoBook } from '../../src/demo/seed.js';
import { DIALECTS, freshStore, type TestStore, testServices } from '../support/stores.js';

const day = (d: string) => d as BusinessDate;

describe('which policy reviews fall due', () => {
  it('finds the latest change of regime known by the day, and none in a steady cycle', () => {
    const readings = [
      { month: '2026-01', regime: 'neutral' as const },
      { month: '2026-02', regime: 'contraction' as const },
      { month: '2026-03', regime: 'contraction' as const },
      { month: '2026-04', regime: 'neutral' as const },
    ];
    expect(latestRegimeChange(readings, day('2026-03-15'))).toEqual({
      month: '2026-02',
      from: 'neutral',
      to: 'contraction',
    });
    expect(latestRegimeChange(readings.slice(0, 1), day('2026-03-15'))).toBeNull();
  });

  it('raises each breach, the regime change and the quarter once', () => {
    const input = {
      day: day('2026-11-20'),
      breaches: [{ measure: 'maxSingleNameShare' as const, value: 0.3, limit: 0.1, driver: 'Big Co' }],
      regimeChange: { month: '2026-11', from: 'neutral' as const, to: 'contraction' as const },
      raised: new Set<string>(),
    };
    const due = policyReviewsDue(input);
    expect(due.map((r) => [r.reason, r.subject, r.dueOn])).toEqual([
      ['appetite_breach', 'maxSingleNameShare', '2026-12-04'],
      ['regime_change', '2026-11', '2026-12-04'],
      ['quarterly', '2026-Q4', '2026-12-31'],
    ]);
    expect(
      policyReviewsDue({ ...input, raised: new Set(due.map((r) => `${r.reason}:${r.subject}`)) }),
    ).toEqual([]);
    expect(quarterOf(day('2026-02-28'))).toEqual({ quarter: '2026-Q1', endsOn: '2026-03-31' });
  });
});

describe.each(DIALECTS)('policy reviews on a book (%s)', (dialect) => {
  let t: TestStore;
  let services: Services;
  beforeAll(async () => {
    t = await freshStore(dialect);
    services = testServices(t.store, day('2026-03-31'));
    await seedDemoBook(services, { customers: 30, months: 12 });
  });
  afterAll(async () => t.dispose());

  it('raises one per appetite breach, the change of regime and the quarter; again only a breach reviewed and still there', async () => {
    // Today's breaches and the quarter (the demo seed may have raised them already: each once).
    await raisePolicyReviews(services, 'system');
    const breaches = (await bookAppetite(services)).breaches;
    const reasons = (await listPolicyReviews(services, { status: 'open' })).items.map((r) => r.reason);
    expect(reasons.filter((r) => r === 'appetite_breach')).toHaveLength(breaches.length);
    expect(reasons.filter((r) => r === 'quarterly')).toHaveLength(1);
    await recordCycleReadings(services, 'analyst', [
      { month: '2026-01', value: 50.5 },
      { month: '2026-02', value: 50.2 },
      { month: '2026-03', value: 48.9 },
    ]);
    // The change to contraction in March, and nothing else.
    expect((await raisePolicyReviews(services, 'system')).raised).toBe(1);
    expect((await raisePolicyReviews(services, 'system')).raised).toBe(0);
    const open = (await listPolicyReviews(services, { status: 'open' })).items;
    expect(open.find((r) => r.reason === 'regime_change' && r.subject === '2026-03')).toMatchObject({
      subject: '2026-03',
      facts: { from: 'neutral', to: 'contraction' },
      dueOn: '2026-04-14',
    });
    for (const review of open)
      await completePolicyReview(services, 'manager', review.id, { outcome: 'policy kept: reviewed' });
    await expect(
      completePolicyReview(services, 'manager', open[0]?.id as string, { outcome: 'again' }),
    ).rejects.toMatchObject({ code: 'policy_review_closed' });
    expect((await raisePolicyReviews(services, 'system')).raised).toBe(breaches.length);
  });
});
