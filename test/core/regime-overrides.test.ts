import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activatePolicy, createPolicyDraft } from '../../src/app/credit/policies.js';
import { storeReader } from '../../src/app/credit/position-reader.js';
import { recordCycleReadings } from '../../src/app/cycle/cycle-readings.js';
import { DEFAULT_CYCLE } from '../../src/core/cycle/regime.js';
import { compilePolicy } from '../../src/core/policy/compile-policy.js';
import { DEFAULT_POLICY } from '../../src/core/policy/default-policy.js';
import type { CreditPolicyDocument } from '../../src/core/policy/types.js';
import type { BusinessDate } from '../../src/core/time/business-date.js';
import { SOUND_ORDER } from '../support/check-input.js';
import { DIALECTS, freshStore, type TestStore, testServices } from '../support/stores.js';

const WITH_OVERRIDES: CreditPolicyDocument = {
  ...DEFAULT_POLICY,
  cycle: {
    ...DEFAULT_CYCLE,
    overrides: { contraction: { limitMultiplier: 0.5, maxGrade: 3, outcome: 'escalate', maxTermsDays: 30 } },
  },
};

describe('what a regime changes in the check', () => {
  const policy = compilePolicy(WITH_OVERRIDES, 9);

  it('in a contraction: limits halved, a regime cut-off on grades, shorter terms — each said in the reasons', () => {
    // Limit 1,000,000 halved to 500,000 with 500,000 used: an order of 100,000 no longer fits.
    const decision = policy({ ...SOUND_ORDER, regime: 'contraction' });
    const codes = decision.reasons.map((r) => r.code);
    expect(codes).toContain('regime_limit_scaled');
    expect(codes).toContain('regime_rating_cutoff'); // grade 4 past the regime's 3
    expect(codes).toContain('exceeds_available_credit');
    expect(decision.outcome).not.toBe('approve');
    expect(decision.termsDays).toBeLessThanOrEqual(30);
  });

  it('in another regime, or with none known, the policy decides as without overrides', () => {
    const plain = compilePolicy(DEFAULT_POLICY, 9)(SOUND_ORDER);
    for (const regime of ['neutral', 'expansion', null] as const)
      expect(policy({ ...SOUND_ORDER, regime })).toEqual(plain);
  });

  it('refuses an override out of bounds, naming it', () => {
    expect(() =>
      compilePolicy(
        {
          ...DEFAULT_POLICY,
          cycle: { ...DEFAULT_CYCLE, overrides: { contraction: { limitMultiplier: 3 } } },
        },
        1,
      ),
    ).toThrow(/cycle\.overrides\.contraction\.limitMultiplier/);
  });
});

describe.each(DIALECTS)('the regime the live check reads (%s)', (dialect) => {
  let t: TestStore;
  beforeAll(async () => {
    t = await freshStore(dialect);
  });
  afterAll(async () => t.dispose());

  it('is read only once the active policy overrides by regime, from the latest reading by the day', async () => {
    const services = testServices(t.store, '2026-03-31' as BusinessDate);
    const reader = storeReader(t.store.db);
    await recordCycleReadings(services, 'analyst', [
      { month: '2026-02', value: 52 },
      { month: '2026-03', value: 48 },
    ]);
    expect(await reader.regime('2026-03-31' as BusinessDate)).toBeNull();
    const draft = await createPolicyDraft(services, 'analyst', { ...WITH_OVERRIDES, name: 'cycle-aware' });
    await activatePolicy(services, { actor: 'manager', role: 'credit_manager' }, draft.version);
    expect(await reader.regime('2026-03-31' as BusinessDate)).toBe('contraction');
    expect(await reader.regime('2026-02-15' as BusinessDate)).toBe('expansion');
    expect(await reader.regime('2026-01-15' as BusinessDate)).toBeNull();
  });
});
