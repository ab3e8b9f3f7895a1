import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApi, testApi } from '../support/api.js';
import { DIALECTS } from '../support/stores.js';

describe.each(DIALECTS)('credit insurance over HTTP (%s)', (dialect) => {
  let api: TestApi;
  let analyst: string;
  let customerId: string;
  let invoiceId: string;
  let policyId: string;
  beforeAll(async () => {
    api = await testApi(dialect);
    analyst = await api.keyFor('credit_analyst');
    customerId = (
      await api.call({
        method: 'POST',
        url: '/v1/customers',
        payload: { externalId: 'IN-1', name: 'Covered Co', country: 'CN', currency: 'CNY', segment: 'mid' },
      })
    ).json().id;
    invoiceId = (
      await api.call({
        method: 'POST',
        url: '/v1/invoices',
        payload: {
          customerId,
          externalId: 'IN-I1',
          invoiceNumber: 'IN-I1',
          issueDate: '2026-01-15',
          dueDate: '2026-02-14',
          amountMinor: 500_000,
          currency: 'CNY',
        },
      })
    ).json().id;
  });
  afterAll(async () => api.dispose());

  it("records a policy and a buyer limit that the customer's exposure then shows as insured", async () => {
    const bad = await api.as(analyst, 'POST', '/v1/insurance-policies', { insurer: 'X' });
    expect(bad.statusCode).toBe(400);
    const created = await api.as(analyst, 'POST', '/v1/insurance-policies', {
      insurer: 'Sinosure',
      policyNumber: 'SINO-9',
      currency: 'CNY',
      startsOn: '2026-01-01',
      endsOn: '2026-12-31',
      indemnityPercent: 80,
      maxLiabilityMinor: 100_000_000,
      notificationDays: 60,
      claimFilingDays: 120,
      premiumRatePercent: 0.25,
    });
    expect(created.statusCode, created.body).toBe(201);
    policyId = created.json().id;
    const limit = await api.as(analyst, 'POST', `/v1/insurance-policies/${policyId}/buyer-limits`, {
      customerId,
      status: 'approved',
      approvedMinor: 400_000,
      effectiveOn: '2026-01-10',
    });
    expect(limit.statusCode, limit.body).toBe(201);
    const exposure = (await api.call({ method: 'GET', url: `/v1/customers/${customerId}/exposure` })).json();
    expect(JSON.stringify(exposure)).toContain('"insuredLimitMinor":400000');
    const listed = (await api.as(analyst, 'GET', `/v1/insurance-policies/${policyId}/buyer-limits`)).json();
    expect(listed.items).toEqual([
      expect.objectContaining({ customerName: 'Covered Co', approvedMinor: 400_000 }),
    ]);
  });

  it('tracks the deadline, notifies once, and hands the insurer its file', async () => {
    const deadlines = (await api.as(analyst, 'GET', '/v1/insurance/deadlines')).json();
    expect(deadlines.items).toEqual([
      expect.objectContaining({ invoiceId, state: 'notify', notifyBy: '2026-04-15', daysLeft: 15 }),
    ]);
    const auditor = await api.keyFor('auditor');
    expect(
      (await api.as(auditor, 'POST', '/v1/insurance/notifications', { invoiceIds: [invoiceId] })).statusCode,
    ).toBe(403);
    const notified = await api.as(analyst, 'POST', '/v1/insurance/notifications', {
      invoiceIds: [invoiceId],
    });
    expect(notified.statusCode, notified.body).toBe(201);
    const again = await api.as(analyst, 'POST', '/v1/insurance/notifications', { invoiceIds: [invoiceId] });
    expect(again.statusCode).toBe(409);
    const file = await api.as(analyst, 'GET', '/v1/insurance/notifications?format=xlsx');
    expect(file.headers['content-type']).toContain('spreadsheetml');
    const rows = (await api.as(analyst, 'GET', '/v1/insurance/notifications')).json().items;
    expect(rows).toEqual([
      expect.objectContaining({ policyNumber: 'SINO-9', buyer: 'Covered Co', openMinor: 500_000 }),
    ]);

    const letter = await api.as(analyst, 'GET', '/v1/insurance/notifications/letter?notifiedOn=2026-03-31');
    expect(letter.statusCode).toBe(200);
    expect(letter.headers['content-type']).toBe('application/pdf');
    expect(letter.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const none = await api.as(analyst, 'GET', '/v1/insurance/notifications/letter?notifiedOn=2026-03-30');
    expect(none.json().error).toMatchObject({ code: 'no_notifications', field: 'notifiedOn' });
  });

  it('moves a claim through its states and refuses a wrong move by name', async () => {
    const claim = await api.as(analyst, 'POST', '/v1/insurance-claims', {
      policyId,
      customerId,
      claimedMinor: 400_000,
      documents: ['invoice IN-I1'],
    });
    expect(claim.statusCode, claim.body).toBe(201);
    const id = claim.json().id;
    const wrong = await api.as(analyst, 'POST', `/v1/insurance-claims/${id}/pay`, {
      paidMinor: 1,
      paidOn: '2026-03-31',
    });
    expect(wrong.statusCode).toBe(409);
    const missing = await api.as(analyst, 'POST', `/v1/insurance-claims/${id}/accept`, {});
    expect(missing.json().error).toMatchObject({ code: 'invalid_amount', field: 'acceptedMinor' });
    await api.as(analyst, 'POST', `/v1/insurance-claims/${id}/accept`, { acceptedMinor: 320_000 });
    const paid = await api.as(analyst, 'POST', `/v1/insurance-claims/${id}/pay`, {
      paidMinor: 320_000,
      paidOn: '2026-03-31',
    });
    expect(paid.json()).toMatchObject({ status: 'paid', paidMinor: 320_000 });
    const turnover = (
      await api.as(analyst, 'GET', `/v1/insurance-policies/${policyId}/turnover?month=2026-01`)
    ).json();
    expect(turnover).toMatchObject({ turnoverMinor: 500_000, premiumMinor: 1_250 });
  });
});
