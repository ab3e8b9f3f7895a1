import { describe, expect, it } from 'vitest';
import { fuzz } from '../../torture/fuzz.js';
import { DIALECTS } from '../support/stores.js';

// The short run of `npm run torture`'s fuzzer (which sends 100,000 requests).
describe.each(DIALECTS)('requests generated from the OpenAPI document (%s)', (dialect) => {
  it('5,000 requests over every operation and role: no 5xx, errors in the contract’s shape, 401 without a key', async () => {
    const seed = Number(process.env.FULCRUM_TORTURE_SEED ?? 20261203);
    const report = await fuzz({ requests: 5_000, seed, dialect });
    expect(report.failures, `seed ${seed}`).toEqual([]);
    expect(report.serverErrors).toBe(0);
    expect(report.operations).toBeGreaterThanOrEqual(90);
    // The generator reaches past validation, not only into it.
    expect(Object.keys(report.byStatus)).toEqual(
      expect.arrayContaining(['200', '201', '400', '401', '403', '404', '422']),
    );
  }, 120_000);
});
