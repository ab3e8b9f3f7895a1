import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoBook } from '../../src/demo/seed.js';
import { type TestApi, testApi } from '../support/api.js';
import { DIALECTS } from '../support/stores.js';

describe.each(DIALECTS)('the policy simulator over HTTP (%s)', (dialect) => {
  let api: TestApi;
  beforeAll(async () => {
    api = await testApi(dialect);
    await seedDemoBook(api.services, { customers: 30, months: 12 });
  });
  afterAll(async () => api.dispose());

  it('sweeps the frontier on a worker thread, and drafts the policy of a picked point', async () => {
    const swept = await api.call({
      method: 'POST',
      url: '/v1/simulations/frontier',
      payload: { candidates: 12 },
    });
    expect(swept.statusCode, swept.body).toBe(200);
    const result = swept.json();
    expect(result).toMatchObject({
      currency: 'CNY',
      candidates: 12,
      lossBudgetMinor: result.current.lossMinor,
    });
    expect(result.frontier.fulcrum.length).toBeGreaterThan(0);
    const pick = result.frontier.fulcrum.at(-1);
    const drafted = await api.call({
      method: 'POST',
      url: '/v1/simulations/frontier/policy',
      payload: { name: 'Frontier pick', params: pick.params },
    });
    expect(drafted.statusCode, drafted.body).toBe(201);
    expect(drafted.json().policy).toMatchObject({ name: 'Frontier pick', status: 'draft' });
    expect(drafted.json().limitRule).toMatch(/^by risk class \(A /);
    // The draft replays like any other before someone else activates it.
    const simulated = await api.call({
      method: 'POST',
      url: `/v1/credit-policies/${drafted.json().policy.version}/simulate`,
      payload: {},
    });
    expect(simulated.statusCode, simulated.body).toBe(200);
  });

  it('refuses parameters no family has, naming them', async () => {
    const bad = await api.call({
      method: 'POST',
      url: '/v1/simulations/frontier/policy',
      payload: {
        name: 'x',
        params: { family: 'static', multiple: -1, overdueTolerance: 0, newCustomerLimitMinor: 0 },
      },
    });
    expect(bad.statusCode).toBe(400);
    const tooMany = await api.call({
      method: 'POST',
      url: '/v1/simulations/frontier',
      payload: { candidates: 100_000 },
    });
    expect(tooMany.statusCode).toBe(400);
  });
});
