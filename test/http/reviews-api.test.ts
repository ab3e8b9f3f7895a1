import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApi, testApi } from '../support/api.js';
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
});
