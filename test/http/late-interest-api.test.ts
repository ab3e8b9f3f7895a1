import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApi, testApi } from '../support/api.js';
import { DIALECTS } from '../support/stores.js';

describe.each(DIALECTS)('late-payment interest per contract terms (%s)', (dialect) => {
  let api: TestApi;
  let customerId: string;
  beforeAll(async () => {
    api = await testApi(dialect);
    customerId = (
      await api.call({
        method: 'POST',
        url: '/v1/customers',
        payload: {
          externalId: 'LI-1',
          name: 'Slow Payer Co',
          country: 'CN',
          currency: 'CNY',
          segment: 'mid',
        },
      })
    ).json().id;
    const invoice = await api.call({
      method: 'POST',
      url: '/v1/invoices',
      payload: {
        customerId,
        externalId: 'LI-INV',
        invoiceNumber: 'LI-INV',
        issueDate: '2025-12-01',
        dueDate: '2025-12-31',
        amountMinor: 10_000_000,
        currency: 'CNY',
      },
    });
    for (const [externalId, paidOn, amountMinor] of [
      ['LI-P1', '2026-01-30', 4_000_000],
      ['LI-P2', '2026-03-01', 6_000_000],
    ] as const) {
      const paid = await api.call({
        method: 'POST',
        url: '/v1/payments',
        payload: {
          customerId,
          externalId,
          paidOn,
          amountMinor,
          currency: 'CNY',
          invoiceId: invoice.json().id,
        },
      });
      expect(paid.statusCode, paid.body).toBe(201);
    }
  });
  afterAll(async () => api.dispose());

  it('owes nothing until terms are agreed; then interest on each day’s overdue balance after grace', async () => {
    const none = (
      await api.call({ method: 'GET', url: `/v1/customers/${customerId}/late-interest?asOf=2026-03-31` })
    ).json();
    expect(none).toMatchObject({ terms: { agreed: false }, invoices: [] });
    const patched = await api.call({
      method: 'PATCH',
      url: `/v1/customers/${customerId}/credit-profile`,
      payload: { lateInterestPercent: 8, interestGraceDays: 10 },
    });
    expect(patched.json()).toMatchObject({ lateInterestPercent: 8, interestGraceDays: 10 });
    // 10 Jan → 30 Jan: 20 days × 100,000.00; 30 Jan → 1 Mar: 30 days × 60,000.00; × 8 % ÷ 365 = 832.88.
    const owed = (
      await api.call({ method: 'GET', url: `/v1/customers/${customerId}/late-interest?asOf=2026-03-31` })
    ).json();
    expect(owed.totalsMinor).toEqual([{ currency: 'CNY', interestMinor: 83_288 }]);
    expect(owed.invoices).toEqual([
      expect.objectContaining({
        invoiceNumber: 'LI-INV',
        interestMinor: 83_288,
        daysLate: 50,
        startsOn: '2026-01-10',
      }),
    ]);
    const bad = await api.call({
      method: 'PATCH',
      url: `/v1/customers/${customerId}/credit-profile`,
      payload: { lateInterestPercent: 150 },
    });
    expect(bad.statusCode).toBe(400);
  });
});
