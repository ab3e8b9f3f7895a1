import { describe, expect, it } from 'vitest';
import { crashLoop } from '../../torture/crash-loop.js';
import { DIALECTS, PG_URL } from '../support/stores.js';

// The short run of `npm run torture`'s crash loop (which runs 1,000 kills per store).
describe.each(DIALECTS)('a server killed under load keeps every acknowledged write (%s)', (dialect) => {
  it('20 kills: nothing acknowledged lost, every keyed write resolves, the book and its audit chain hold', async () => {
    const seed = Number(process.env.FULCRUM_TORTURE_SEED ?? 20261203);
    const report = await crashLoop({ dialect, kills: 20, seed, pgUrl: PG_URL });
    expect(report.violations, `seed ${seed}`).toEqual([]);
    expect(report.lost).toBe(0);
    expect(report.acknowledged).toBeGreaterThan(200);
    expect(report.keyedInFlight).toBeGreaterThan(0);
  }, 300_000);
});
