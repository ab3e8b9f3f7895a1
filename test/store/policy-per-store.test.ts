import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activatePolicy, activePolicy, createPolicyDraft } from '../../src/app/credit/policies.js';
import { DEFAULT_POLICY } from '../../src/core/policy/default-policy.js';
import { freshStore, type TestStore, testServices } from '../support/stores.js';

// Compiled policies are kept in memory by version; two stores in one process (tests, a
// benchmark, a tool migrating one book into another) may each have a different version 1.
describe('the active policy of each store', () => {
  const stores: TestStore[] = [];
  beforeAll(async () => {
    stores.push(await freshStore('sqlite'), await freshStore('sqlite'));
  });
  afterAll(async () => {
    for (const t of stores) await t.dispose();
  });

  it('is its own, though both stores number their policies alike', async () => {
    const caps = [1_000, 2_000];
    for (const [i, t] of stores.entries()) {
      const services = testServices(t.store);
      const draft = await createPolicyDraft(services, 'analyst', {
        ...DEFAULT_POLICY,
        name: `cap ${caps[i]}`,
        newCustomer: { maxAgeDays: 90, maxOrderMinor: caps[i] as number, outcome: 'escalate' },
      });
      await activatePolicy(services, { actor: 'manager', role: 'credit_manager' }, draft.version);
    }
    const [a, b] = await Promise.all(stores.map((t) => activePolicy(t.store.db)));
    expect(a?.version).toBe(b?.version);
    const newCustomerOrder = (orderMinor: number) => ({
      orderMinor,
      customerAgeDays: 0,
      riskClass: 'A' as const,
      ratingGrade: 1,
      blacklisted: false,
      stopSupply: false,
      limitMinor: 1_000_000,
      exposureMinor: 0,
      overdueMinor: 0,
      overdueMinorDays: 0,
      groupLimitMinor: null,
      groupExposureMinor: null,
      fxRateMissing: false,
    });
    // 1,500 passes the second store's cap of 2,000 but not the first's of 1,000.
    expect(a?.evaluate(newCustomerOrder(1_500)).outcome).toBe('escalate');
    expect(b?.evaluate(newCustomerOrder(1_500)).outcome).toBe('approve');
  });
});
