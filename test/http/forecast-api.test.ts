import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoBook } from '../../src/demo/seed.js';
import { type TestApi, testApi } from '../support/api.js';
import { DIALECTS } from '../support/stores.js';

describe.each(DIALECTS)('the payment-date forecast over HTTP (%s)', (dialect) => {
  let api: TestApi;
  beforeAll(async () => {
    api = await testApi(dialect);
    await seedDemoBook(api.services, { customers: 30, months: 12 });
  });
  afterAll(async () => api.dispose());

  it('forecasts each open invoice of a customer after today, inside its interval', async () => {
    const open = await api.services.store.db
      .selectFrom('invoices')
      .select(['customer_id'])
      .where('open_minor', '>', 0)
      .limit(1)
      .executeTakeFirstOrThrow();
    const answer = await api.call({
      method: 'GET',
      url: `/v1/customers/${open.customer_id}/payment-forecast`,
    });
    expect(answer.statusCode, answer.body).toBe(200);
    const { asOf, items } = answer.json();
    expect(items.length).toBeGreaterThan(0);
    for (const item of items) {
      expect(item.expectedOn > asOf).toBe(true);
      expect(item.earliestOn <= item.expectedOn && item.expectedOn <= item.latestOn).toBe(true);
      expect(item.openMinor).toBeGreaterThan(0);
    }
    expect(
      (await api.call({ method: 'GET', url: '/v1/customers/cus_nope/payment-forecast' })).statusCode,
    ).toBe(404);
  });

  it('sums the book’s expected cash-in by week, and back-tests the forecast against the naive one', async () => {
    const cash = (await api.call({ method: 'GET', url: '/v1/receivables/cash-forecast?weeks=13' })).json();
    expect(cash.weeks).toHaveLength(13);
    const inWeeks = cash.weeks.reduce((s: number, w: { expectedMinor: number }) => s + w.expectedMinor, 0);
    expect(inWeeks + cash.laterMinor).toBe(cash.openMinor);
    const test = await api.call({
      method: 'GET',
      url: '/v1/receivables/payment-forecast/backtest?from=2025-10-01&to=2026-03-31',
    });
    expect(test.statusCode, test.body).toBe(200);
    expect(test.json().invoices).toBeGreaterThan(0);
    expect(test.json().model.meanAbsoluteErrorDays).toBeGreaterThanOrEqual(0);
    expect(test.json().naive.within7DaysShare).toBeLessThanOrEqual(1);
  });
});
