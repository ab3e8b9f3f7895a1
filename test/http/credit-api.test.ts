import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApi, testApi } from '../support/api.js';
import { expectLedgerBalances } from '../support/invariants.js';
import { DIALECTS } from '../support/stores.js';

describe.each(DIALECTS)('limits, exposure and the order check (%s)', (dialect) => {
  let api: TestApi;
  const keys: Record<'analyst' | 'manager' | 'sales', string> = { analyst: '', manager: '', sales: '' };
  const as = (who: keyof typeof keys, options: Parameters<TestApi['call']>[0]) =>
    api.call({ ...options, headers: { ...(options.headers ?? {}), authorization: `Bearer ${keys[who]}` } });
  let customerId = '';
  let counter = 0;
  const order = (amountMinor: number, who: keyof typeof keys = 'sales', extra: object = {}) =>
    as(who, {
      method: 'POST',
      url: '/v1/orders',
      payload: { customerId, externalId: `ORD-${++counter}`, amountMinor, currency: 'CNY', ...extra },
    });
  const exposure = async (id = customerId) =>
    (await api.call({ method: 'GET', url: `/v1/customers/${id}/exposure` })).json();
  const grantLimit = async (
    subject: { subjectType: 'customer' | 'group'; subjectId: string },
    amountMinor: number,
    extra: object = {},
  ) => {
    const req = await as('analyst', {
      method: 'POST',
      url: '/v1/limit-requests',
      payload: {
        ...subject,
        kind: 'permanent',
        amountMinor,
        currency: 'CNY',
        reason: 'annual review',
        ...extra,
      },
    });
    expect(req.statusCode, req.body).toBe(201);
    const approved = await as('manager', {
      method: 'POST',
      url: `/v1/limit-requests/${req.json().id}/approve`,
      payload: { note: 'ok' },
    });
    expect(approved.statusCode, approved.body).toBe(200);
    return approved.json();
  };

  beforeAll(async () => {
    api = await testApi(dialect);
    for (const role of ['analyst', 'manager', 'sales'] as const) {
      const created = await api.call({
        method: 'POST',
        url: '/v1/api-keys',
        payload: {
          name: role,
          role: role === 'analyst' ? 'credit_analyst' : role === 'manager' ? 'credit_manager' : 'sales',
          ...(role === 'sales' && { salesOwner: 'wang.li' }),
        },
      });
      expect(created.statusCode).toBe(201);
      keys[role] = created.json().key;
    }
    const c = await api.call({
      method: 'POST',
      url: '/v1/customers',
      payload: {
        externalId: 'CRED-1',
        name: '宁波恒通五金制品有限公司',
        country: 'CN',
        currency: 'CNY',
        segment: 'mid',
        salesOwner: 'wang.li',
      },
    });
    customerId = c.json().id;
  });
  afterAll(async () => api.dispose());

  it('a limit change is a request until someone else approves it; the requester cannot', async () => {
    const req = await as('analyst', {
      method: 'POST',
      url: '/v1/limit-requests',
      payload: {
        subjectType: 'customer',
        subjectId: customerId,
        kind: 'permanent',
        amountMinor: 1_000_000,
        currency: 'CNY',
        reason: 'new account',
      },
    });
    expect(req.json()).toMatchObject({ status: 'pending', previousMinor: 0 });
    expect((await exposure()).limitMinor).toBe(0);
    // The approvals inbox names the customer and who asked.
    const inbox = (await as('manager', { method: 'GET', url: '/v1/limit-requests?status=pending' })).json()
      .items;
    expect(inbox.find((r: { id: string }) => r.id === req.json().id)).toMatchObject({
      subjectName: '宁波恒通五金制品有限公司',
      requestedByName: 'analyst',
    });
    const self = await as('analyst', {
      method: 'POST',
      url: `/v1/limit-requests/${req.json().id}/approve`,
      payload: { note: 'mine' },
    });
    expect(self.statusCode).toBe(422);
    expect(self.json().error.code).toBe('four_eyes_violation');
    const salesTry = await as('sales', {
      method: 'POST',
      url: `/v1/limit-requests/${req.json().id}/approve`,
      payload: { note: 'x' },
    });
    // Sales may ask for credit but never decide on it, whatever the amount.
    expect(salesTry.statusCode).toBe(403);
    expect(salesTry.json().error.code).toBe('forbidden');
    const ok = await as('manager', {
      method: 'POST',
      url: `/v1/limit-requests/${req.json().id}/approve`,
      payload: { note: 'good payer' },
    });
    expect(ok.json()).toMatchObject({ status: 'approved', decisionNote: 'good payer' });
    expect(await exposure()).toMatchObject({
      limitMinor: 1_000_000,
      exposureMinor: 0,
      availableMinor: 1_000_000,
    });
    const history = (await api.call({ method: 'GET', url: `/v1/customers/${customerId}/limits` })).json();
    expect(history.limits).toHaveLength(1);
    expect(history.requests[0]).toMatchObject({
      status: 'approved',
      requestedBy: expect.stringMatching(/^api_key:/),
    });
  });

  it('approves an order within available credit, with reasons, and counts it in exposure at once', async () => {
    const placed = await order(300_000);
    expect(placed.statusCode, placed.body).toBe(201);
    expect(placed.json()).toMatchObject({ status: 'open', creditMinor: 300_000, policyVersion: 0 });
    expect(placed.json().decision).toMatchObject({
      outcome: 'approve',
      reasons: [
        expect.objectContaining({
          code: 'within_available_credit',
          values: expect.objectContaining({ availableMinor: 1_000_000 }),
        }),
      ],
    });
    expect(await exposure()).toMatchObject({
      exposureMinor: 300_000,
      availableMinor: 700_000,
      exposure: { openOrdersMinor: 300_000 },
    });
  });

  it('approves a small excess only against prepayment: exposure stops at the limit', async () => {
    const placed = await order(750_000);
    expect(placed.json()).toMatchObject({
      status: 'open',
      creditMinor: 700_000,
      decision: { outcome: 'approve_with_conditions' },
    });
    expect(placed.json().decision.conditions).toEqual([
      expect.objectContaining({ code: 'prepay_excess', amountMinor: 50_000 }),
    ]);
    expect(await exposure()).toMatchObject({ exposureMinor: 1_000_000, availableMinor: 0 });
  });

  it('holds an order past the limit: it waits in the queue and counts only when released by someone else', async () => {
    const held = await order(400_000, 'analyst');
    expect(held.json()).toMatchObject({ status: 'held', creditMinor: 0, decision: { outcome: 'hold' } });
    expect((await exposure()).exposureMinor).toBe(1_000_000);
    const queue = (await api.call({ method: 'GET', url: '/v1/orders/queue' })).json().items;
    expect(queue.map((o: { id: string }) => o.id)).toContain(held.json().id);
    expect(queue[0]).toMatchObject({ ageHours: 0, overdueSla: false, slaDueAt: expect.any(String) });
    // Names, not ids: the customer's, and the API key's that placed it.
    expect(queue.find((o: { id: string }) => o.id === held.json().id)).toMatchObject({
      customerName: '宁波恒通五金制品有限公司',
      requestedByName: 'analyst',
    });
    const own = await as('analyst', {
      method: 'POST',
      url: `/v1/orders/${held.json().id}/release`,
      payload: { note: 'please' },
    });
    expect(own.json().error.code).toBe('four_eyes_violation');
    const bySales = await as('sales', {
      method: 'POST',
      url: `/v1/orders/${held.json().id}/release`,
      payload: { note: 'please' },
    });
    expect(bySales.json().error.code).toBe('forbidden');
    const released = await as('manager', {
      method: 'POST',
      url: `/v1/orders/${held.json().id}/release`,
      payload: { note: 'strategic deal' },
    });
    expect(released.statusCode, released.body).toBe(200);
    expect(released.json()).toMatchObject({
      status: 'open',
      overLimitMinor: 400_000,
      decidedBy: expect.stringMatching(/^api_key:/),
    });
    expect((await exposure()).exposureMinor).toBe(1_400_000);
    const again = await as('manager', {
      method: 'POST',
      url: `/v1/orders/${held.json().id}/reject`,
      payload: { note: 'x' },
    });
    expect(again.json().error.code).toBe('order_not_held');
    await expectLedgerBalances(api.services.store);
  });

  it('a rejected order never counts; cancelling and shipping move exposure between its parts', async () => {
    const held = await order(5_000_000);
    const rejected = await as('analyst', {
      method: 'POST',
      url: `/v1/orders/${held.json().id}/reject`,
      payload: { note: 'too big' },
    });
    expect(rejected.json()).toMatchObject({ status: 'rejected' });
    const firstOpen = (
      await api.call({ method: 'GET', url: `/v1/orders?customerId=${customerId}&status=open` })
    ).json().items[0];
    const shipped = await as('sales', {
      method: 'POST',
      url: `/v1/orders/${firstOpen.id}/ship`,
      payload: {},
    });
    expect(shipped.json().status).toBe('shipped');
    const view = await exposure();
    expect(view.exposure.shippedNotInvoicedMinor).toBe(firstOpen.creditMinor);
    expect(view.exposureMinor).toBe(1_400_000);
    // Invoicing the shipped order moves it into receivables; the total stays.
    const invoice = await api.call({
      method: 'POST',
      url: '/v1/invoices',
      payload: {
        customerId,
        externalId: 'CRED-INV-1',
        invoiceNumber: 'CRED-INV-1',
        issueDate: '2026-03-31',
        dueDate: '2026-04-30',
        amountMinor: firstOpen.amountMinor,
        currency: 'CNY',
        orderId: firstOpen.id,
      },
    });
    expect(invoice.statusCode, invoice.body).toBe(201);
    expect(await exposure()).toMatchObject({
      exposureMinor: 1_400_000,
      exposure: { shippedNotInvoicedMinor: 0, openReceivablesMinor: 300_000 },
    });
    const cancelled = await as('sales', {
      method: 'POST',
      url: `/v1/orders/${firstOpen.id}/cancel`,
      payload: {},
    });
    expect(cancelled.json().error.code).toBe('invalid_order_state');
    await expectLedgerBalances(api.services.store);
  });

  it('what-if checks reserve nothing; Idempotency-Key makes an order retry safe', async () => {
    const before = await exposure();
    const what = await as('sales', {
      method: 'POST',
      url: '/v1/orders/check',
      payload: { customerId, amountMinor: 100, currency: 'CNY' },
    });
    expect(what.json().decision.outcome).toBe('approve_with_conditions');
    expect(await exposure()).toEqual(before);
    const send = () =>
      as('sales', {
        method: 'POST',
        url: '/v1/orders',
        payload: { customerId, externalId: 'IDEM-ORD', amountMinor: 100, currency: 'CNY' },
        headers: { 'idempotency-key': 'order-1' },
      });
    const first: LightMyRequestResponse = await send();
    const second = await send();
    expect(second.json()).toEqual(first.json());
    const orders = (
      await api.call({ method: 'GET', url: `/v1/orders?customerId=${customerId}&limit=500` })
    ).json().items;
    expect(orders.filter((o: { externalId: string }) => o.externalId === 'IDEM-ORD')).toHaveLength(1);
  });

  it("a keyed order's refusal replays; its key with another order, valid or not, is a 422", async () => {
    const send = (payload: object, key: string) =>
      as('sales', { method: 'POST', url: '/v1/orders', payload, headers: { 'idempotency-key': key } });
    const order = { customerId, externalId: 'IDEM-REFUSE', amountMinor: 100, currency: 'CNY' };
    // Well-formed, so past the JSON schema, but no ISO 4217 currency: refused before the desk.
    const unknownCurrency = { ...order, currency: 'ABC' };
    const refused = await send(unknownCurrency, 'refused-1');
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.field).toBe('currency');
    const again = await send(unknownCurrency, 'refused-1');
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toBe(refused.body);
    // The key was answered with a refusal: a valid order under it is another request.
    expect((await send(order, 'refused-1')).json().error.code).toBe('idempotency_key_reused');
    const placed = await send(order, 'placed-1');
    expect(placed.statusCode).toBe(201);
    // An order under a placed order's key is refused as reused, whether the desk sees it or not.
    for (const other of [{ ...order, amountMinor: 101 }, unknownCurrency]) {
      const reused = await send(other, 'placed-1');
      expect(reused.statusCode).toBe(422);
      expect(reused.json().error.code).toBe('idempotency_key_reused');
    }
    const orders = (
      await api.call({ method: 'GET', url: `/v1/orders?customerId=${customerId}&limit=500` })
    ).json().items;
    expect(orders.filter((o: { externalId: string }) => o.externalId === 'IDEM-REFUSE')).toHaveLength(1);
  });

  it('keyed orders sent at once are each written once; sent again they replay; one key sent ten times at once writes one order', async () => {
    const send = (i: number, key: string) =>
      as('sales', {
        method: 'POST',
        url: '/v1/orders',
        payload: { customerId, externalId: `IDEM-MANY-${i}`, amountMinor: 10, currency: 'CNY' },
        headers: { 'idempotency-key': key },
      });
    const first = await Promise.all(Array.from({ length: 30 }, (_, i) => send(i, `many-${i}`)));
    expect(first.map((r) => r.statusCode)).toEqual(first.map(() => 201));
    const again = await Promise.all(Array.from({ length: 30 }, (_, i) => send(i, `many-${i}`)));
    expect(again.map((r) => r.headers['idempotent-replayed'])).toEqual(again.map(() => 'true'));
    expect(again.map((r) => r.json())).toEqual(first.map((r) => r.json()));
    const same = await Promise.all(Array.from({ length: 10 }, () => send(99, 'many-same')));
    const created = same.filter(
      (r) => r.statusCode === 201 && r.headers['idempotent-replayed'] === undefined,
    );
    expect(created).toHaveLength(1);
    // The others wait for the first one's answer and replay it: nobody is told to come back later.
    for (const r of same) {
      expect(r.statusCode).toBe(201);
      expect(r.body).toBe(created[0]?.body);
    }
    const orders = (
      await api.call({ method: 'GET', url: `/v1/orders?customerId=${customerId}&limit=500` })
    ).json().items;
    expect(orders.filter((o: { externalId: string }) => o.externalId.startsWith('IDEM-MANY-'))).toHaveLength(
      31,
    );
  });

  it('blacklist declines and stop supply holds, with the flag as the reason', async () => {
    const bypass = await as('manager', {
      method: 'PATCH',
      url: `/v1/customers/${customerId}/credit-profile`,
      payload: { blacklisted: true },
    });
    expect(bypass.statusCode).toBe(400);
    const block = await as('analyst', {
      method: 'POST',
      url: `/v1/customers/${customerId}/blocks`,
      payload: {
        kind: 'blacklist',
        reasonCode: 'fraud',
        note: 'forged bank guarantee',
        conditions: { monthsClean: 0 },
      },
    });
    expect(block.statusCode, block.body).toBe(201);
    const declined = await order(1);
    expect(declined.json()).toMatchObject({ status: 'declined', decision: { outcome: 'decline' } });
    expect(declined.json().decision.reasons[0].code).toBe('customer_blacklisted');
    const lifted = await as('manager', {
      method: 'POST',
      url: `/v1/customer-blocks/${block.json().id}/lift`,
      payload: { note: 'guarantee replaced by a cash deposit' },
    });
    expect(lifted.statusCode, lifted.body).toBe(200);
    await as('manager', {
      method: 'PATCH',
      url: `/v1/customers/${customerId}/credit-profile`,
      payload: { stopSupply: true },
    });
    expect((await order(1)).json().decision.reasons[0].code).toBe('stop_supply');
    await as('manager', {
      method: 'PATCH',
      url: `/v1/customers/${customerId}/credit-profile`,
      payload: { stopSupply: false },
    });
  });

  it('keeps an insured coverage with a fraction of a percent (it was a 500 on PostgreSQL)', async () => {
    const set = await as('manager', {
      method: 'PATCH',
      url: `/v1/customers/${customerId}/credit-profile`,
      payload: { insuredCoveragePercent: 87.5 },
    });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json().insuredCoveragePercent).toBe(87.5);
    await as('manager', {
      method: 'PATCH',
      url: `/v1/customers/${customerId}/credit-profile`,
      payload: { insuredCoveragePercent: null },
    });
  });

  it('temporary limits add to the limit in force until they expire', async () => {
    const before = (await exposure()).limitMinor;
    const req = await as('analyst', {
      method: 'POST',
      url: '/v1/limit-requests',
      payload: {
        subjectType: 'customer',
        subjectId: customerId,
        kind: 'temporary',
        amountMinor: 2_000_000,
        currency: 'CNY',
        startsOn: '2026-03-01',
        expiresOn: '2026-04-30',
        reason: 'spring season',
      },
    });
    await as('manager', {
      method: 'POST',
      url: `/v1/limit-requests/${req.json().id}/approve`,
      payload: { note: 'season' },
    });
    expect((await exposure()).limit).toMatchObject({
      temporaryMinor: 2_000_000,
      totalMinor: before + 2_000_000,
    });
    const tooLong = await as('analyst', {
      method: 'POST',
      url: '/v1/limit-requests',
      payload: {
        subjectType: 'customer',
        subjectId: customerId,
        kind: 'temporary',
        amountMinor: 1,
        currency: 'CNY',
        expiresOn: '2028-01-01',
        reason: 'x',
      },
    });
    expect(tooLong.json().error).toMatchObject({ code: 'temporary_too_long', field: 'expiresOn' });
    const expired = await as('analyst', {
      method: 'POST',
      url: '/v1/limit-requests',
      payload: {
        subjectType: 'customer',
        subjectId: customerId,
        kind: 'temporary',
        amountMinor: 1,
        currency: 'CNY',
        startsOn: '2026-01-01',
        expiresOn: '2026-02-01',
        reason: 'x',
      },
    });
    expect(expired.json().error).toMatchObject({ code: 'already_expired', field: 'expiresOn' });
  });

  it('an order in another currency is held without a rate, converted with one', async () => {
    const noRate = await order(1_000, 'sales', { currency: 'USD' });
    expect(noRate.json().decision.reasons.map((r: { code: string }) => r.code)).toContain('fx_rate_missing');
    await api.call({
      method: 'POST',
      url: '/v1/fx-rates',
      payload: { base: 'USD', quote: 'CNY', asOf: '2026-03-01', rate: 7.2 },
    });
    const converted = await order(1_000, 'sales', { currency: 'USD' });
    expect(converted.json().decision.reasons.map((r: { code: string }) => r.code)).not.toContain(
      'fx_rate_missing',
    );
    expect(converted.json().decision.reasons.at(-1).values.orderMinor).toBe(7_200);
  });

  it('crosses rates through the base currency and explains decisions in Chinese on request', async () => {
    const usd = await api.call({
      method: 'POST',
      url: '/v1/customers',
      payload: {
        externalId: 'USD-1',
        name: 'Atlas Trading Inc.',
        country: 'US',
        currency: 'USD',
        segment: 'mid',
        salesOwner: 'wang.li',
      },
    });
    for (const [base, rate] of [
      ['USD', 7.2],
      ['EUR', 7.8],
    ] as const) {
      await api.call({
        method: 'POST',
        url: '/v1/fx-rates',
        payload: { base, quote: 'CNY', asOf: '2026-03-01', rate },
      });
    }
    await grantLimit({ subjectType: 'customer', subjectId: usd.json().id }, 100_000_00, { currency: 'USD' });
    const placed = await as('sales', {
      method: 'POST',
      url: '/v1/orders',
      payload: { customerId: usd.json().id, externalId: 'EUR-ORDER', amountMinor: 1_000_00, currency: 'EUR' },
    });
    // 1,000.00 EUR × 7.8 CNY/EUR ÷ 7.2 CNY/USD = 1,083.33 USD.
    expect(placed.json().decision.reasons.at(-1).values.orderMinor).toBe(1_083_33);
    expect(placed.json().decision.reasons.at(-1).message).toBe(
      'The order of 1083.33 USD is within available credit of 100000.00 USD.',
    );
    const zh = await api.call({
      method: 'GET',
      url: `/v1/orders/${placed.json().id}`,
      headers: { 'accept-language': 'zh-CN,zh;q=0.9' },
    });
    expect(zh.json().decision.reasons.at(-1).message).toBe('订单1083.33 USD在可用额度100000.00 USD之内。');
  });

  it('a group limit binds all its members together', async () => {
    const group = (
      await api.call({
        method: 'POST',
        url: '/v1/customer-groups',
        payload: { externalId: 'GRP-CRED', name: 'Hengtong Group' },
      })
    ).json();
    const members = [];
    for (const n of [1, 2]) {
      const m = await api.call({
        method: 'POST',
        url: '/v1/customers',
        payload: {
          externalId: `GRP-M${n}`,
          name: `Member ${n}`,
          country: 'CN',
          currency: 'CNY',
          segment: 'small',
          groupId: group.id,
          salesOwner: 'wang.li',
        },
      });
      members.push(m.json().id as string);
      await grantLimit({ subjectType: 'customer', subjectId: m.json().id }, 1_000_000);
    }
    await grantLimit({ subjectType: 'group', subjectId: group.id }, 1_200_000);
    const first = await as('sales', {
      method: 'POST',
      url: '/v1/orders',
      payload: { customerId: members[0], externalId: 'G-1', amountMinor: 900_000, currency: 'CNY' },
    });
    expect(first.json().decision.outcome).toBe('approve');
    const second = await as('sales', {
      method: 'POST',
      url: '/v1/orders',
      payload: { customerId: members[1], externalId: 'G-2', amountMinor: 900_000, currency: 'CNY' },
    });
    expect(second.json().decision.outcome).toBe('hold');
    expect(second.json().decision.reasons.at(-1)).toMatchObject({
      code: 'exceeds_group_available_credit',
      values: expect.objectContaining({ availableMinor: 300_000 }),
    });
    expect((await exposure(members[1])).group).toMatchObject({
      limitMinor: 1_200_000,
      exposureMinor: 900_000,
      availableMinor: 300_000,
    });
  });

  it('a draft policy is simulated on recorded decisions, then activated by someone other than its author', async () => {
    const strict = (await api.call({ method: 'GET', url: '/v1/credit-policies/0' })).json().document;
    strict.name = 'Strict: no prepayment deals';
    strict.availableCredit.bands = [{ max: null, outcome: 'hold' }];
    const draft = await as('analyst', { method: 'POST', url: '/v1/credit-policies', payload: strict });
    expect(draft.statusCode, draft.body).toBe(201);
    const version = draft.json().version;
    const sim = (
      await as('analyst', { method: 'POST', url: `/v1/credit-policies/${version}/simulate`, payload: {} })
    ).json();
    expect(sim.ordersReplayed).toBeGreaterThan(5);
    const transition = sim.transitions.find(
      (t: { transition: string }) => t.transition === 'approve_with_conditions→hold',
    );
    expect(transition?.count).toBeGreaterThanOrEqual(1);
    expect(sim.examples.some((e: { simulatedOutcome: string }) => e.simulatedOutcome === 'hold')).toBe(true);
    // Analysts draft policies; only a credit manager or an admin activates one.
    expect(
      (await as('analyst', { method: 'POST', url: `/v1/credit-policies/${version}/activate` })).json().error
        .code,
    ).toBe('forbidden');
    const activated = await as('manager', { method: 'POST', url: `/v1/credit-policies/${version}/activate` });
    expect(activated.json()).toMatchObject({ status: 'active', version });
    const after = await order(1_000_000_000);
    expect(after.json().decision).toMatchObject({ policyVersion: version, outcome: 'hold' });
    const bad = await as('analyst', {
      method: 'POST',
      url: '/v1/credit-policies',
      payload: { ...strict, availableCredit: { bands: [{ max: null, outcome: 'approve' }] } },
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().error).toMatchObject({
      code: 'invalid_policy',
      field: 'availableCredit.bands[0].outcome',
    });
  });

  it('the authority matrix is part of the policy: a new version changes who may release what', async () => {
    const policies = (await api.call({ method: 'GET', url: '/v1/credit-policies' })).json().items;
    const current = policies.find((p: { status: string }) => p.status === 'active');
    // Written by the analyst's key, activated by the manager's: by name in the list.
    expect(current).toMatchObject({ createdByName: 'analyst', activatedByName: 'manager' });
    const active = current.document;
    expect(active.authority).toContainEqual({
      role: 'credit_analyst',
      maxAmountMinor: 50_000_000,
      riskClasses: ['A', 'B', 'C'],
    });
    const held = await order(100_000_000);
    expect(held.json().status).toBe('held');
    const release = () =>
      as('analyst', { method: 'POST', url: `/v1/orders/${held.json().id}/release`, payload: { note: 'ok' } });
    expect((await release()).json().error.code).toBe('insufficient_authority');

    const draft = (authority: object[]) =>
      as('analyst', {
        method: 'POST',
        url: '/v1/credit-policies',
        payload: { ...active, name: 'Analysts release any order', authority },
      });
    const all = ['A', 'B', 'C', 'D', 'E'];
    const gap = await draft([{ role: 'admin', maxAmountMinor: null, riskClasses: ['A', 'B', 'C', 'D'] }]);
    expect(gap.statusCode).toBe(422);
    expect(gap.json().error).toMatchObject({ code: 'invalid_policy', field: 'authority' });
    expect(gap.json().error.message).toContain('order_release for risk class E');
    const unknownRole = await draft([{ role: 'intern', maxAmountMinor: null, riskClasses: all }]);
    expect(unknownRole.json().error).toMatchObject({ code: 'invalid_policy', field: 'authority[0].role' });

    const wider = await draft([
      { role: 'credit_analyst', maxAmountMinor: null, riskClasses: all, approvals: ['order_release'] },
      { role: 'admin', maxAmountMinor: null, riskClasses: all },
    ]);
    expect(wider.statusCode, wider.body).toBe(201);
    const version = wider.json().version;
    // Analysts draft policies; only a credit manager or an admin activates one.
    expect(
      (await as('analyst', { method: 'POST', url: `/v1/credit-policies/${version}/activate` })).json().error
        .code,
    ).toBe('forbidden');
    const activated = await as('manager', { method: 'POST', url: `/v1/credit-policies/${version}/activate` });
    expect(activated.statusCode, activated.body).toBe(200);
    const released = await release();
    expect(released.statusCode, released.body).toBe(200);
    expect(released.json()).toMatchObject({ status: 'open' });
    // The same version no longer lets a credit manager approve limit changes: only admins may.
    const limit = await as('analyst', {
      method: 'POST',
      url: '/v1/limit-requests',
      payload: {
        subjectType: 'customer',
        subjectId: customerId,
        kind: 'permanent',
        amountMinor: 10_000_000,
        currency: 'CNY',
        reason: 'review',
      },
    });
    const byManager = await as('manager', {
      method: 'POST',
      url: `/v1/limit-requests/${limit.json().id}/approve`,
      payload: { note: 'ok' },
    });
    expect(byManager.json().error.code).toBe('insufficient_authority');
  });

  it('recommends a limit with an explanation per line', async () => {
    const r = await api.call({
      method: 'POST',
      url: '/v1/limits/recommendation',
      payload: { riskClass: 'B', expectedMonthlyPurchasesMinor: 500_000, termsDays: 30 },
    });
    expect(r.json()).toMatchObject({
      recommendedMinor: 1_000_000,
      lines: [expect.objectContaining({ step: 'trade_need' }), expect.anything()],
    });
  });

  it('rolls back to the built-in default policy with version 0, audited; not twice', async () => {
    const back = await as('manager', { method: 'POST', url: '/v1/credit-policies/0/activate' });
    expect(back.statusCode, back.body).toBe(200);
    expect(back.json()).toMatchObject({ version: 0, status: 'active', name: 'Default policy' });
    const policies = (await api.call({ method: 'GET', url: '/v1/credit-policies' })).json().items;
    expect(policies.filter((p: { status: string }) => p.status === 'active')).toEqual([]);
    expect((await order(100)).json().decision.policyVersion).toBe(0);
    const again = await as('manager', { method: 'POST', url: '/v1/credit-policies/0/activate' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('already_active');
    const audit = await api.services.store.db
      .selectFrom('audit_events')
      .select(['entity_id', 'before_json'])
      .where('action', '=', 'credit_policy.activated')
      .where('entity_id', '=', '0')
      .execute();
    expect(audit).toHaveLength(1);
  });

  it('only an admin creates API keys', async () => {
    const denied = await as('manager', {
      method: 'POST',
      url: '/v1/api-keys',
      payload: { name: 'x', role: 'admin' },
    });
    expect(denied.statusCode).toBe(403);
    expect(denied.json().error.code).toBe('forbidden');
  });
});
