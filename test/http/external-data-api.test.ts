import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApi, testApi } from '../support/api.js';
import { DIALECTS } from '../support/stores.js';

describe.each(DIALECTS)('outside data over HTTP (%s)', (dialect) => {
  let api: TestApi;
  let customerId: string;
  beforeAll(async () => {
    api = await testApi(dialect);
  });
  afterAll(async () => api.dispose());

  it('a Chinese buyer’s registration id is its unified social credit code, checked to the check character', async () => {
    const wrong = await api.call({
      method: 'POST',
      url: '/v1/customers',
      payload: {
        externalId: 'X-1',
        name: '福州测试有限公司',
        country: 'CN',
        currency: 'CNY',
        segment: 'mid',
        registrationId: '91350100M000100Y44',
      },
    });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.json().error).toMatchObject({ code: 'invalid_registration_id', field: 'registrationId' });
    expect(wrong.json().error.message).toContain('should be 3');
    const made = await api.call({
      method: 'POST',
      url: '/v1/customers',
      payload: {
        externalId: 'X-1',
        name: '福州测试有限公司',
        country: 'CN',
        currency: 'CNY',
        segment: 'mid',
        registrationId: '91350100m000100y43',
      },
    });
    expect(made.statusCode, made.body).toBe(201);
    expect(made.json().registrationId).toBe('91350100M000100Y43');
    customerId = made.json().id;
    const found = await api.call({ method: 'GET', url: '/v1/customers?registrationId=91350100M000100Y43' });
    expect(found.json().items.map((c: { id: string }) => c.id)).toEqual([customerId]);
  });

  it('records signals by registration id once, and a critical one raises its alert at once', async () => {
    const signal = {
      source: 'court-feed',
      sourceRef: 'ZX-2026-001',
      registrationId: '91350100M000100Y43',
      signalType: 'dishonest_debtor',
      occurredOn: '2026-03-20',
      summary: '列入失信被执行人名单',
    };
    const first = await api.call({
      method: 'POST',
      url: '/v1/external-signals',
      payload: { signals: [signal] },
    });
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toEqual({ received: 1, unchanged: 0, alertsRaised: 2 });
    const again = await api.call({
      method: 'POST',
      url: '/v1/external-signals',
      payload: { signals: [signal] },
    });
    expect(again.json()).toEqual({ received: 0, unchanged: 1, alertsRaised: 0 });
    const alerts = (await api.call({ method: 'GET', url: `/v1/alerts?customerId=${customerId}` })).json()
      .items;
    expect(alerts.map((a: { ruleId: string }) => a.ruleId).sort()).toEqual([
      'outside_alarm',
      'outside_warning',
    ]);
    const timeline = (await api.call({ method: 'GET', url: `/v1/customers/${customerId}/signals` })).json()
      .items;
    expect(timeline).toMatchObject([
      { signalType: 'dishonest_debtor', severity: 'critical', summary: '列入失信被执行人名单' },
    ]);
    // The order check sees the critical alert.
    const check = await api.call({
      method: 'POST',
      url: '/v1/orders/check',
      payload: { customerId, amountMinor: 100, currency: 'CNY' },
    });
    expect(check.json().decision.reasons).toContainEqual(
      expect.objectContaining({ code: 'early_warning', values: { severity: 'critical' } }),
    );
  });

  it('refuses the whole batch naming each bad row: an unknown buyer and an amount without its currency, in one pass', async () => {
    const bad = await api.call({
      method: 'POST',
      url: '/v1/external-signals',
      payload: {
        signals: [
          {
            source: 's',
            sourceRef: 'a',
            registrationId: '914403001922038216',
            signalType: 'enforcement',
            occurredOn: '2026-03-01',
            summary: 'x',
          },
          {
            source: 's',
            sourceRef: 'b',
            customerId,
            signalType: 'enforcement',
            occurredOn: '2026-03-01',
            summary: 'x',
            amountMinor: 5,
          },
        ],
      },
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().error.rows).toEqual([
      expect.objectContaining({ index: 0, field: 'registrationId', code: 'unknown_customer' }),
      expect.objectContaining({ index: 1, field: 'currency', code: 'invalid_currency' }),
    ]);
  });
});
