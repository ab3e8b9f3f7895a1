import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApi, testApi } from '../support/api.js';
import { DIALECTS } from '../support/stores.js';

describe.each(DIALECTS)('notifications: what waits for me (%s)', (dialect) => {
  let api: TestApi;
  const keys = { analyst: '', manager: '' };
  const as = (who: keyof typeof keys, method: 'GET' | 'POST', url: string, payload?: object) =>
    api.as(keys[who], method, url, payload);
  const kinds = async (who: keyof typeof keys) =>
    Object.fromEntries(
      (await as(who, 'GET', '/v1/notifications'))
        .json()
        .items.map((n: { kind: string; count: number; unread: number }) => [n.kind, [n.count, n.unread]]),
    );

  beforeAll(async () => {
    api = await testApi(dialect);
    keys.analyst = await api.keyFor('credit_analyst');
    keys.manager = await api.keyFor('credit_manager');
  });
  afterAll(async () => api.dispose());

  it('tells the manager of a request to decide and an order held, not the one who asked; marks them seen; tells the asker once decided', async () => {
    const customer = (
      await api.call({
        method: 'POST',
        url: '/v1/customers',
        payload: {
          externalId: 'NT-1',
          name: 'Notified Trading',
          country: 'CN',
          currency: 'CNY',
          segment: 'mid',
        },
      })
    ).json().id;
    const request = await as('analyst', 'POST', '/v1/limit-requests', {
      subjectType: 'customer',
      subjectId: customer,
      kind: 'permanent',
      amountMinor: 1_000_00,
      currency: 'CNY',
      reason: 'first limit',
    });
    expect(request.statusCode).toBe(201);
    const order = await as('analyst', 'POST', '/v1/orders', {
      customerId: customer,
      externalId: 'NT-O1',
      amountMinor: 50_000_00,
      currency: 'CNY',
    });
    expect(order.json().status).toBe('held');
    expect(await kinds('manager')).toEqual({ approvals: [1, 1], held_orders: [1, 1] });
    // Four eyes: the analyst asked, so the analyst is not asked to decide.
    expect((await kinds('analyst')).approvals).toBeUndefined();
    const seen = await as('manager', 'POST', '/v1/notifications/seen');
    expect(seen.json()).toMatchObject({ unread: 0 });
    expect(await kinds('manager')).toEqual({ approvals: [1, 0], held_orders: [1, 0] });
    const released = await as('manager', 'POST', `/v1/orders/${order.json().id}/release`, {
      note: 'known buyer',
    });
    expect(released.statusCode, released.body).toBe(200);
    expect((await kinds('analyst')).my_orders_decided).toEqual([1, 1]);
    expect((await kinds('manager')).held_orders).toBeUndefined();
  });
});
