import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApi, testApi } from '../support/api.js';
import { DIALECTS } from '../support/stores.js';

const application = {
  legalName: '福州海峡贸易有限公司',
  registrationId: '91350100M000100Y43',
  country: 'CN',
  currency: 'CNY',
  segment: 'mid',
  contacts: [{ name: '林经理', phone: '+86 591 0000 0000' }],
  requestedLimitMinor: 30_000_000,
  requestedTermsDays: 30,
  expectedMonthlyPurchasesMinor: 10_000_000,
  financials: {
    period: '2025',
    totalAssets: 500_000_000,
    totalLiabilities: 200_000_000,
    workingCapital: 150_000_000,
    retainedEarnings: 120_000_000,
    ebit: 60_000_000,
    bookEquity: 300_000_000,
  },
};

describe.each(DIALECTS)('credit applications over HTTP (%s)', (dialect) => {
  let api: TestApi;
  let manager: string;
  let analyst: string;
  beforeAll(async () => {
    api = await testApi(dialect);
    manager = await api.keyFor('credit_manager');
    analyst = await api.keyFor('credit_analyst');
  });
  afterAll(async () => api.dispose());

  it('screens at once, and converts on approval by someone else: the customer and its first limit request', async () => {
    const made = await api.as(analyst, 'POST', '/v1/credit-applications', application);
    expect(made.statusCode, made.body).toBe(201);
    const screened = made.json();
    // Sound statements, but more than the recommended 200,000.00: proceed, with the limit lowered.
    expect(screened).toMatchObject({
      status: 'screened',
      outcome: 'proceed_with_conditions',
      registrationId: '91350100M000100Y43',
    });
    expect(screened.screening).toMatchObject({
      conditions: ['lower_limit'],
      recommendedLimitMinor: 20_000_000,
      riskClass: 'B',
    });
    const own = await api.as(analyst, 'POST', `/v1/credit-applications/${screened.id}/approve`, {
      note: 'mine',
    });
    expect(own.json().error.code).toBe('four_eyes_violation');
    const approved = await api.as(manager, 'POST', `/v1/credit-applications/${screened.id}/approve`, {
      note: 'references checked',
    });
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json()).toMatchObject({
      status: 'approved',
      customerId: expect.any(String),
      limitRequestId: expect.any(String),
    });
    const customer = (
      await api.call({ method: 'GET', url: `/v1/customers/${approved.json().customerId}` })
    ).json();
    expect(customer).toMatchObject({ name: application.legalName, registrationId: '91350100M000100Y43' });
    const requests = (
      await api.call({ method: 'GET', url: `/v1/limit-requests?subjectId=${customer.id}` })
    ).json().items;
    expect(requests).toMatchObject([{ amountMinor: 20_000_000, status: 'pending' }]);
    // Screened at first contact: the order check never calls it unscreened (it waits for its limit).
    const check = await api.call({
      method: 'POST',
      url: '/v1/orders/check',
      payload: { customerId: customer.id, amountMinor: 100, currency: 'CNY' },
    });
    expect(check.json().decision.reasons).not.toContainEqual(
      expect.objectContaining({ code: 'unscreened_customer' }),
    );
    const again = await api.as(manager, 'POST', `/v1/credit-applications/${screened.id}/reject`, {
      note: 'too late',
    });
    expect(again.statusCode).toBe(409);
  });

  it('declines a buyer whose registration id is blacklisted; the application is rejected, nothing created', async () => {
    const existing = (
      await api.call({
        method: 'POST',
        url: '/v1/customers',
        payload: {
          externalId: 'BL-1',
          name: 'Blacklisted Trading',
          country: 'CN',
          currency: 'CNY',
          segment: 'small',
          registrationId: '914403001922038216',
        },
      })
    ).json();
    const blocked = await api.call({
      method: 'POST',
      url: `/v1/customers/${existing.id}/blocks`,
      payload: { kind: 'blacklist', reasonCode: 'fraud', note: 'forged documents' },
    });
    expect(blocked.statusCode, blocked.body).toBe(201);
    const made = await api.as(analyst, 'POST', '/v1/credit-applications', {
      ...application,
      legalName: 'New Name Trading',
      registrationId: '914403001922038216',
    });
    expect(made.json()).toMatchObject({
      outcome: 'decline',
      screening: {
        reasons: expect.arrayContaining([expect.objectContaining({ code: 'blacklisted_registration' })]),
      },
    });
    const byAdmin = await api.call({
      method: 'POST',
      url: `/v1/credit-applications/${made.json().id}/reject`,
      payload: { note: 'blacklisted' },
    });
    expect(byAdmin.json()).toMatchObject({ status: 'rejected', customerId: null });
  });

  it('names what is wrong with an application', async () => {
    const wrong = await api.as(analyst, 'POST', '/v1/credit-applications', {
      ...application,
      registrationId: '91350100M000100Y44',
    });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.json().error).toMatchObject({ code: 'invalid_registration_id', field: 'registrationId' });
    const zero = await api.as(analyst, 'POST', '/v1/credit-applications', {
      ...application,
      financials: { ...application.financials, totalAssets: 0 },
    });
    expect(zero.json().error).toMatchObject({ field: 'financials.totalAssets' });
    expect((await api.call({ method: 'GET', url: '/v1/credit-applications/app_nope' })).statusCode).toBe(404);
  });
});
