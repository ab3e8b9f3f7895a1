import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApi, testApi } from '../support/api.js';
import { grantLimits } from '../support/limits.js';
import { walkPages } from '../support/pages.js';
import { DIALECTS } from '../support/stores.js';

// name → [limit, invoiced]; null: no limit at all.
const BOOK: Record<string, [number | null, number]> = {
  Full: [100_000, 95_000],
  Half: [100_000, 50_000],
  Unlimited: [null, 10_000],
  Idle: [null, 0],
  Exact: [200_000, 180_000],
};

describe.each(DIALECTS)('customers found by utilisation (%s)', (dialect) => {
  let api: TestApi;

  const names = async (query: string, limit = 50) =>
    (await walkPages<{ name: string }>(api, '/v1/customers', query, limit)).map((c) => c.name);

  beforeAll(async () => {
    api = await testApi(dialect);
    for (const [name, [limit, invoiced]] of Object.entries(BOOK)) {
      const customer = (
        await api.call({
          method: 'POST',
          url: '/v1/customers',
          payload: { externalId: `U-${name}`, name, country: 'CN', currency: 'CNY', segment: 'mid' },
        })
      ).json();
      if (limit !== null) await grantLimits(api.services.store.db, [customer.id], limit);
      if (invoiced > 0) {
        const invoice = await api.call({
          method: 'POST',
          url: '/v1/invoices',
          payload: {
            customerId: customer.id,
            externalId: `U-${name}-I`,
            invoiceNumber: `U-${name}-I`,
            issueDate: '2026-03-01',
            dueDate: '2026-04-30',
            amountMinor: invoiced,
            currency: 'CNY',
          },
        });
        expect(invoice.statusCode, invoice.body).toBe(201);
      }
    }
  });
  afterAll(async () => api.dispose());

  it('keeps the customers at or over the share, exposure with no limit counting as over any', async () => {
    expect(await names('minUtilisation=0.9&sort=name')).toEqual(['Exact', 'Full', 'Unlimited']);
    expect(await names('minUtilisation=0.5&sort=name')).toEqual(['Exact', 'Full', 'Half', 'Unlimited']);
    expect(await names('minUtilisation=0.95&sort=name')).toEqual(['Full', 'Unlimited']);
    expect(await names('minUtilisation=0&sort=name')).toEqual(['Exact', 'Full', 'Half', 'Unlimited']);
  });

  it('pages, sorts and combines with the other filters', async () => {
    expect(await names('minUtilisation=0.9&sort=-name', 1)).toEqual(['Unlimited', 'Full', 'Exact']);
    expect(await names('minUtilisation=0.9&search=ul')).toEqual(['Full']);
    // Narrowed by another filter, only those customers' limits and balances are read: the same answer.
    expect(await names('minUtilisation=0.9&sort=name&segment=mid')).toEqual(
      await names('minUtilisation=0.9&sort=name'),
    );
    expect(await names('minUtilisation=0.5&sort=name&segment=mid', 1)).toEqual([
      'Exact',
      'Full',
      'Half',
      'Unlimited',
    ]);
    // A payment brings Full down to 45 %: it leaves the list at once.
    const full = (await api.call({ method: 'GET', url: '/v1/customers?search=U-Full' })).json().items[0];
    const paid = await api.call({
      method: 'POST',
      url: '/v1/payments',
      payload: {
        customerId: full.id,
        externalId: 'U-Full-P',
        paidOn: '2026-03-20',
        amountMinor: 50_000,
        currency: 'CNY',
      },
    });
    expect(paid.statusCode, paid.body).toBe(201);
    expect(await names('minUtilisation=0.9&sort=name')).toEqual(['Exact', 'Unlimited']);
  });

  it('refuses a share out of range by field', async () => {
    const refused = await api.call({ method: 'GET', url: '/v1/customers?minUtilisation=-1' });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.field).toMatch(/minUtilisation/);
  });
});
