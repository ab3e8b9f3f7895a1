import { describe, expect, it } from 'vitest';
import { simulate } from '../../torture/simulate.js';
import { DIALECTS } from '../support/stores.js';

// The short run of `npm run torture`'s deterministic simulation (which runs 20,000 steps).
describe.each(DIALECTS)('a seeded random working life of the book (%s)', (dialect) => {
  it('1,500 steps of orders, payments, disputes, limits, days and jobs: every invariant holds after each', async () => {
    const seed = Number(process.env.FULCRUM_TORTURE_SEED ?? 20261203);
    const report = await simulate({ seed, steps: 1_500, dialect });
    expect(report.failure, `replay: seed ${seed}`).toBeNull();
    expect(report.days).toBeGreaterThan(200);
    expect(report.actions.order).toBeGreaterThan(300);
  }, 180_000);
});
