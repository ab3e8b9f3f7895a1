import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoBook } from '../../src/demo/seed.js';
import { type TestApi, testApi } from '../support/api.js';
import { DIALECTS } from '../support/stores.js';

/** The overview reads the book in bulk: it must agree with each customer's own exposure view. */
describe.each(DIALECTS)('the portfolio overview (%s)', (dialect) => {
  let api: TestApi;
  beforeAll(async () => {
    api = await testApi(dialect);
    await seedDemoBook(api.services, { customers: 40, months: 12 });
  }, 120_000);
  afterAll(async () => api.dispose());

  it('measures the live book against the risk appetite of the policy in force', async () => {
    const answer = await api.call({ method: 'GET', url: '/v1/portfolio/appetite' });
    expect(answer.statusCode, answer.body).toBe(200);
    const { measures, breaches, policyVersion } = answer.json();
    expect(policyVersion).toBe(0);
    expect(measures.map((m: { measure: string }) => m.measure)).toEqual([
      'maxExpectedLossRate',
      'maxWorstClassesShare',
      'maxSingleNameShare',
      'maxGroupShare',
      'maxUninsuredShare',
      'targetDsoDays',
    ]);
    for (const m of measures) expect(m.breached).toBe(m.value !== null && m.value > m.limit);
    expect(breaches).toEqual(
      measures.filter((m: { breached: boolean }) => m.breached).map((m: { measure: string }) => m.measure),
    );
    const largest = (await api.call({ method: 'GET', url: '/v1/portfolio/overview' })).json().topExposures[0];
    expect(measures[2].driver).toBe(largest.name);
  });

  it('adds up every customer as the order check sees it', async () => {
    const overview = (await api.call({ method: 'GET', url: '/v1/portfolio/overview' })).json();
    const customers = (await api.call({ method: 'GET', url: '/v1/customers?limit=100' })).json().items;
    expect(overview.customers).toBe(customers.length);
    const views = new Map<
      string,
      { limitMinor: number; exposureMinor: number; overdueMinor: number; currency: string }
    >();
    for (const c of customers)
      views.set(c.id, (await api.call({ method: 'GET', url: `/v1/customers/${c.id}/exposure` })).json());
    const over = [...views.values()].filter((v) => v.limitMinor > 0 && v.exposureMinor > v.limitMinor).length;
    expect(overview.overLimit).toBe(over);
    const sum = (key: 'customers', rows: { customers: number }[]) => rows.reduce((s, r) => s + r[key], 0);
    expect(sum('customers', overview.utilisationBands)).toBe(customers.length);
    expect(sum('customers', overview.riskClasses)).toBe(customers.length);
    // Customers in CNY are shown in CNY as they are: the exact same numbers.
    const cny = overview.topExposures.filter(
      (t: { customerId: string }) => views.get(t.customerId)?.currency === 'CNY',
    );
    expect(cny.length).toBeGreaterThan(0);
    for (const t of cny) {
      const view = views.get(t.customerId);
      expect(t).toMatchObject({
        limitMinor: view?.limitMinor,
        exposureMinor: view?.exposureMinor,
        overdueMinor: view?.overdueMinor,
      });
    }
    const exposures = overview.topExposures.map((t: { exposureMinor: number }) => t.exposureMinor);
    expect(exposures).toEqual([...exposures].sort((a, b) => b - a));
    expect(overview.kpis.ordersDecided).toBeGreaterThan(0);
  });
});
