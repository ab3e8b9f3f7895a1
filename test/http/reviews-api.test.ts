import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApi, testApi } from '../support/api.js';
import { grantLimits } from '../support/limits.js';
import { DIALECTS } from '../support/stores.js';

// Today is 2026-03-31 in tests.
describe.each(DIALECTS)('periodic credit reviews over HTTP (%s)', (dialect) => {
  let api: TestApi;
  let customerId: string;
  beforeAll(async () => {
    api = await testApi(dialect);
    customerId = (
      await api.call({
        method: 'POST',
        url: '/v1/customers',
        payload: {
          externalId: 'RV-1',
          name: 'Review Me Ltd',
          country: 'CN',
          currency: 'CNY',
          segment: 'mid',
        },
      })
    ).json().id;
    await api.call({
      method: 'PATCH',
      url: `/v1/customers/${customerId}/credit-profile`,
      payload: { riskClass: 'D' },
    });
    await api.call({
      method: 'POST',
      url: '/v1/invoices',
      payload: {
        customerId,
        externalId: 'RV-I1',
        invoiceNumber: 'RV-I1',
        issueDate: '2026-03-01',
        dueDate: '2026-03-31',
        amountMinor: 100,
        currency: 'CNY',
      },
    });
    await api.call({
      method: 'POST',
      url: '/v1/limit-requests',
      payload: {
        subjectType: 'customer',
        subjectId: customerId,
        kind: 'permanent',
        amountMinor: 1_000_000,
        currency: 'CNY',
        reason: 'first',
      },
    });
  });
  afterAll(async () => api.dispose());

  const check = async () =>
    (
      await api.call({
        method: 'POST',
        url: '/v1/orders/check',
        payload: { customerId, amountMinor: 100, currency: 'CNY' },
      })
    ).json().decision.reasons as { code: string; outcome: string }[];

  it('sets the next review a cycle of the risk class later (D: 3 months), and lists it in the calendar', async () => {
    const review = await api.call({
      method: 'POST',
      url: `/v1/customers/${customerId}/credit-reviews`,
      payload: { findings: 'pays late but steadily', limitDecision: 'keep', reviewedOn: '2025-11-30' },
    });
    expect(review.statusCode, review.body).toBe(201);
    expect(review.json()).toMatchObject({
      riskClass: 'D',
      nextReviewOn: '2026-02-28',
      limitDecision: 'keep',
    });
    const due = (await api.call({ method: 'GET', url: '/v1/credit-reviews/due' })).json();
    expect(due.items).toContainEqual(
      expect.objectContaining({
        customerId,
        customerName: 'Review Me Ltd',
        dueOn: '2026-02-28',
        daysOverdue: 31,
        lastReviewed: true,
      }),
    );
  });

  it('escalates orders while the review is past due (the default policy), and not once it is done', async () => {
    expect(await check()).toContainEqual(
      expect.objectContaining({ code: 'review_overdue', outcome: 'escalate' }),
    );
    await api.call({
      method: 'POST',
      url: `/v1/customers/${customerId}/credit-reviews`,
      payload: { findings: 'fine', limitDecision: 'keep' },
    });
    expect(await check()).not.toContainEqual(expect.objectContaining({ code: 'review_overdue' }));
    const history = (
      await api.call({ method: 'GET', url: `/v1/customers/${customerId}/credit-reviews` })
    ).json().items;
    expect(history.map((r: { nextReviewOn: string }) => r.nextReviewOn)).toEqual([
      '2026-06-30',
      '2026-02-28',
    ]);
  });

  it('refuses a next review later than the cycle, a future review, an unknown decision', async () => {
    const late = await api.call({
      method: 'POST',
      url: `/v1/customers/${customerId}/credit-reviews`,
      payload: { findings: 'x', limitDecision: 'keep', nextReviewOn: '2027-03-31' },
    });
    expect(late.json().error).toMatchObject({ code: 'invalid_date', field: 'nextReviewOn' });
    const future = await api.call({
      method: 'POST',
      url: `/v1/customers/${customerId}/credit-reviews`,
      payload: { findings: 'x', limitDecision: 'keep', reviewedOn: '2026-04-01' },
    });
    expect(future.json().error).toMatchObject({ field: 'reviewedOn' });
    expect(
      (
        await api.call({
          method: 'POST',
          url: '/v1/customers/cus_nope/credit-reviews',
          payload: { findings: 'x', limitDecision: 'keep' },
        })
      ).statusCode,
    ).toBe(404);
  });

  it('screens every new customer at first contact: a blacklisted twin is escalated while unrated, until someone reviews it', async () => {
    const create = async (externalId: string, name: string, registrationId?: string) =>
      (
        await api.call({
          method: 'POST',
          url: '/v1/customers',
          payload: { externalId, name, country: 'CN', currency: 'CNY', segment: 'small', registrationId },
        })
      ).json().id as string;
    const listed = await create('RV-BL', 'Vanished Trading Ltd', '914403001922038216');
    const blocked = await api.call({
      method: 'POST',
      url: `/v1/customers/${listed}/blocks`,
      payload: { kind: 'blacklist', reasonCode: 'fraud', note: 'forged documents' },
    });
    expect(blocked.statusCode, blocked.body).toBe(201);
    // The same company comes back under a new name and account; another buyer is clean.
    const twin = await create('RV-TWIN', 'Reborn Trading Ltd', '914403001922038216');
    const clean = await create('RV-CLEAN', 'Clean Trading Ltd', '91350100M000100Y43');
    await grantLimits(api.services.store.db, [twin, clean], 5_000_000);
    const decide = async (customerId: string) =>
      (
        await api.call({
          method: 'POST',
          url: '/v1/orders/check',
          payload: { customerId, amountMinor: 100_000, currency: 'CNY' },
        })
      ).json().decision;
    expect((await decide(clean)).outcome).toBe('approve');
    const before = await decide(twin);
    expect(before.outcome).toBe('escalate');
    expect(before.reasons).toContainEqual(
      expect.objectContaining({ code: 'unscreened_customer', outcome: 'escalate' }),
    );
    const screen = await api.services.store.db
      .selectFrom('credit_profiles')
      .select(['screen_outcome', 'screen_reasons_json'])
      .where('customer_id', '=', twin)
      .executeTakeFirstOrThrow();
    expect(screen.screen_outcome).toBe('decline');
    expect(JSON.parse(screen.screen_reasons_json as string)).toEqual([
      {
        code: 'blacklisted_registration',
        outcome: 'decline',
        values: { customerName: 'Vanished Trading Ltd' },
      },
    ]);
    const review = await api.call({
      method: 'POST',
      url: `/v1/customers/${twin}/credit-reviews`,
      payload: { findings: 'new owners since the fraud; documents verified', limitDecision: 'keep' },
    });
    expect(review.statusCode, review.body).toBe(201);
    const after = await decide(twin);
    expect(after.reasons).not.toContainEqual(expect.objectContaining({ code: 'unscreened_customer' }));
    expect(after.outcome).toBe('approve');
  });
});
