import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApi, testApi } from '../support/api.js';
import { DIALECTS } from '../support/stores.js';

describe.each(DIALECTS)('explanations, contests and the risk case library (%s)', (dialect) => {
  let api: TestApi;
  let customerId: string;
  const keys: Record<string, string> = {};
  const as = (who: string, method: 'GET' | 'POST', url: string, payload?: object) =>
    api.app.inject({ method, url, payload, headers: { authorization: `Bearer ${keys[who]}` } });
  const order = async (amountMinor: number, externalId: string) =>
    (
      await as('sales', 'POST', '/v1/orders', { customerId, externalId, amountMinor, currency: 'CNY' })
    ).json();

  beforeAll(async () => {
    api = await testApi(dialect);
    for (const [who, role, salesOwner] of [
      ['sales', 'sales', 'wang.li'],
      ['analyst', 'credit_analyst', null],
      ['analyst2', 'credit_analyst', null],
      ['legal', 'legal', null],
    ] as const) {
      const created = await api.call({
        method: 'POST',
        url: '/v1/api-keys',
        payload: { name: who, role, ...(salesOwner && { salesOwner }) },
      });
      keys[who] = created.json().key;
    }
    customerId = (
      await api.call({
        method: 'POST',
        url: '/v1/customers',
        payload: {
          externalId: 'G5-1',
          name: 'Suzhou Lianhe Textiles',
          country: 'CN',
          currency: 'CNY',
          segment: 'small',
          salesOwner: 'wang.li',
        },
      })
    ).json().id;
    const limit = await as('analyst', 'POST', '/v1/limit-requests', {
      subjectType: 'customer',
      subjectId: customerId,
      kind: 'permanent',
      amountMinor: 1_000_000,
      currency: 'CNY',
      reason: 'opening',
    });
    await as('analyst2', 'POST', `/v1/limit-requests/${limit.json().id}/approve`, { note: 'ok' });
    await api.call({
      method: 'PATCH',
      url: `/v1/customers/${customerId}/credit-profile`,
      payload: { riskClass: 'B', ratingGrade: 3 },
    });
  });
  afterAll(async () => api.dispose());

  it('a held order gets a customer letter naming only the adverse reasons found, in English and Chinese', async () => {
    const held = await order(5_000_000, 'G5-HELD');
    expect(held.decision.outcome).toBe('hold');
    const en = (await as('sales', 'GET', `/v1/orders/${held.id}/notice`)).json();
    expect(en.reasonCodes).toEqual(['exceeds_available_credit']);
    expect(en.subject).toBe('Your order G5-HELD: credit review');
    expect(en.body).toContain('CNY 50,000.00 is on hold pending a credit review');
    expect(en.body).toContain('The order exceeds the credit available on your account.');
    // Internal numbers stay internal: no available-credit figure, no policy rule.
    expect(en.body).not.toContain('10,000.00');
    const zh = (await as('sales', 'GET', `/v1/orders/${held.id}/notice?language=zh-CN`)).json();
    expect(zh.body).toContain('该订单超出贵公司账户的可用信用额度。');
    expect(zh.body).toContain('Suzhou Lianhe Textiles：');
    // Decided by a person: the letter now says what they decided (released: below, in the core test).
    const rejected = await as('analyst', 'POST', `/v1/orders/${held.id}/reject`, {
      note: 'no security offered',
    });
    expect(rejected.statusCode, rejected.body).toBe(200);
    const after = (await as('sales', 'GET', `/v1/orders/${held.id}/notice`)).json();
    expect(after).toMatchObject({ outcome: 'rejected', reasonCodes: ['exceeds_available_credit'] });
    expect(after.body).toContain(
      'CNY 50,000.00 cannot be delivered on credit after a credit review, for these reasons:',
    );
  });

  it('a contest opens a review case that only someone not involved may decide', async () => {
    const held = await order(4_000_000, 'G5-CONTEST');
    const opened = await as('sales', 'POST', `/v1/orders/${held.id}/contest`, {
      grounds: 'the customer paid 60,000.00 yesterday; the bank statement is attached',
    });
    expect(opened.statusCode, opened.body).toBe(201);
    expect(opened.json()).toMatchObject({
      status: 'open',
      contestedOutcome: 'hold',
      reasonCodes: expect.arrayContaining(['exceeds_available_credit']),
    });
    const again = await as('sales', 'POST', `/v1/orders/${held.id}/contest`, { grounds: 'again' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('already_contested');
    const approved = await order(100, 'G5-OK');
    const nothing = await as('sales', 'POST', `/v1/orders/${approved.id}/contest`, { grounds: 'x' });
    expect(nothing.json().error.code).toBe('not_contestable');

    const open = (await as('analyst', 'GET', '/v1/review-cases?status=open')).json().items;
    expect(open.map((c: { id: string }) => c.id)).toEqual([opened.json().id]);
    const caseId = opened.json().id;
    expect(
      (await as('sales', 'POST', `/v1/review-cases/${caseId}/decide`, { outcome: 'overturned', note: 'x' }))
        .statusCode,
    ).toBe(403);
    const decided = await as('analyst', 'POST', `/v1/review-cases/${caseId}/decide`, {
      outcome: 'overturned',
      note: 'payment confirmed with the bank; release within authority',
    });
    expect(decided.statusCode, decided.body).toBe(200);
    expect(decided.json()).toMatchObject({ status: 'decided', outcome: 'overturned' });
    expect(
      (
        await as('analyst2', 'POST', `/v1/review-cases/${caseId}/decide`, { outcome: 'upheld', note: 'x' })
      ).json().error.code,
    ).toBe('review_case_decided');
  });

  it('the reviewer may not be whoever contested', async () => {
    const held = await order(3_000_000, 'G5-SELF');
    const opened = await as('analyst', 'POST', `/v1/orders/${held.id}/contest`, { grounds: 'recheck' });
    const self = await as('analyst', 'POST', `/v1/review-cases/${opened.json().id}/decide`, {
      outcome: 'upheld',
      note: 'mine',
    });
    expect(self.json().error.code).toBe('four_eyes_violation');
  });

  it('keeps cases and lessons, found by words, tag, reason code and customer', async () => {
    const created = await as('legal', 'POST', '/v1/risk-cases', {
      title: 'Distributor collapse after losing its anchor brand',
      customerId,
      whatHappened:
        'Orders doubled in the last quarter while days-to-pay crept from 35 to 70; then insolvency.',
      warningSigns: 'Order growth with slower payments; director changes; a 100% concentration on one brand.',
      lessons: 'Freeze limit increases when growth and lateness rise together.',
      tags: ['Insolvency', 'distributor', 'insolvency'],
      reasonCodes: ['overdue_too_high'],
      lossMinor: 250_000_000,
      currency: 'CNY',
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json().tags).toEqual(['insolvency', 'distributor']);
    await as('analyst', 'POST', '/v1/risk-cases', {
      title: 'Fraudulent first order',
      whatHappened: 'A new buyer ordered at the cap and vanished.',
      warningSigns: 'Free-mail address; delivery to a warehouse not its own.',
      lessons: 'Verify the delivery address for new customers.',
      tags: ['fraud'],
    });
    const search = async (query: string) =>
      (await as('analyst', 'GET', `/v1/risk-cases?${query}`))
        .json()
        .items.map((c: { title: string }) => c.title);
    expect(await search('q=GROWTH lateness')).toEqual(['Distributor collapse after losing its anchor brand']);
    expect(await search('q=100%25')).toEqual(['Distributor collapse after losing its anchor brand']);
    expect(await search('q=50%25')).toEqual([]);
    expect(await search('tag=fraud')).toEqual(['Fraudulent first order']);
    expect(await search('reasonCode=overdue_too_high')).toHaveLength(1);
    expect(await search(`customerId=${customerId}`)).toHaveLength(1);
    expect(await search('')).toHaveLength(2);
    const noCurrency = await as('legal', 'POST', '/v1/risk-cases', {
      title: 't',
      whatHappened: 'w',
      warningSigns: 's',
      lessons: 'l',
      lossMinor: 5,
    });
    expect(noCurrency.json().error).toMatchObject({ code: 'required', field: 'currency' });
  });
});
