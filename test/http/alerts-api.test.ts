import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApi, testApi } from '../support/api.js';
import { DIALECTS } from '../support/stores.js';

// Today is 2026-03-31 in tests: an invoice due 2025-12-20 and unpaid is 101 days past due, so the
// built-in rules raise overdue_30 (medium), overdue_60 (high) and overdue_90 (critical).
describe.each(DIALECTS)('early warning over HTTP (%s)', (dialect) => {
  let api: TestApi;
  let customerId: string;
  let manager: string;
  const check = async () =>
    (
      await api.call({
        method: 'POST',
        url: '/v1/orders/check',
        payload: { customerId, amountMinor: 100, currency: 'CNY' },
      })
    ).json().decision.reasons as { code: string; outcome: string; values: Record<string, unknown> }[];

  beforeAll(async () => {
    api = await testApi(dialect);
    manager = await api.keyFor('credit_manager');
    customerId = (
      await api.call({
        method: 'POST',
        url: '/v1/customers',
        payload: {
          externalId: 'EW-1',
          name: '预警测试有限公司',
          country: 'CN',
          currency: 'CNY',
          segment: 'small',
        },
      })
    ).json().id;
    await api.call({
      method: 'POST',
      url: '/v1/invoices',
      payload: {
        customerId,
        externalId: 'EW-I1',
        invoiceNumber: 'EW-I1',
        issueDate: '2025-11-20',
        dueDate: '2025-12-20',
        amountMinor: 500_000,
        currency: 'CNY',
      },
    });
  });
  afterAll(async () => api.dispose());

  it('the run raises one alert per firing rule, once; the inbox shows them by name; a critical one escalates orders', async () => {
    expect(await check()).not.toContainEqual(expect.objectContaining({ code: 'early_warning' }));
    const run = await api.call({ method: 'POST', url: '/v1/alerts/run', payload: {} });
    expect(run.statusCode, run.body).toBe(200);
    expect(run.json()).toMatchObject({
      asOf: '2026-03-31',
      raised: 3,
      raisedBySeverity: { medium: 1, high: 1, critical: 1 },
    });
    expect((await api.call({ method: 'POST', url: '/v1/alerts/run', payload: {} })).json()).toMatchObject({
      raised: 0,
    });

    const inbox = (await api.call({ method: 'GET', url: '/v1/alerts?state=open' })).json();
    expect(inbox.items.map((a: { ruleId: string }) => a.ruleId).sort()).toEqual([
      'overdue_30',
      'overdue_60',
      'overdue_90',
    ]);
    expect(inbox.items[0]).toMatchObject({ customerId, customerName: '预警测试有限公司', state: 'open' });
    const critical = inbox.items.find((a: { severity: string }) => a.severity === 'critical');
    expect(critical).toMatchObject({
      ruleId: 'overdue_90',
      ownerRole: 'credit_manager',
      suggestedAction: 'stop_supply',
      dueOn: '2026-04-02',
    });
    expect(critical.facts).toMatchObject({ daysPastDue: 101, overdueMinor: 500_000 });
    const page = (await api.call({ method: 'GET', url: '/v1/alerts?limit=2' })).json();
    expect(page.items).toHaveLength(2);
    const rest = (
      await api.call({ method: 'GET', url: `/v1/alerts?limit=2&after=${page.nextAfter}` })
    ).json();
    expect(rest).toMatchObject({ items: [expect.any(Object)], nextAfter: null });

    expect(await check()).toContainEqual(
      expect.objectContaining({
        code: 'early_warning',
        outcome: 'escalate',
        values: { severity: 'critical' },
      }),
    );
  });

  it('moves an alert open → acknowledged → dismissed (with a reason); the order check then sees the next worst', async () => {
    const critical = (await api.call({ method: 'GET', url: '/v1/alerts?severity=critical' })).json().items[0];
    const ack = await api.as(manager, 'POST', `/v1/alerts/${critical.id}/acknowledge`, {});
    expect(ack.json()).toMatchObject({
      state: 'acknowledged',
      updatedBy: expect.stringMatching(/^api_key:/),
    });
    const bare = await api.as(manager, 'POST', `/v1/alerts/${critical.id}/dismiss`, {});
    expect(bare.statusCode).toBe(400);
    expect(bare.json().error).toMatchObject({ code: 'required', field: 'reason' });
    const dismissed = await api.as(manager, 'POST', `/v1/alerts/${critical.id}/dismiss`, {
      reason: 'paid by bank transfer, not yet booked',
    });
    expect(dismissed.json()).toMatchObject({
      state: 'dismissed',
      stateReason: 'paid by bank transfer, not yet booked',
    });
    const again = await api.as(manager, 'POST', `/v1/alerts/${critical.id}/acknowledge`, {});
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('invalid_alert_transition');
    // Only the high alert is live now: the default policy lets it through.
    expect(await check()).not.toContainEqual(expect.objectContaining({ code: 'early_warning' }));
    // The episode goes on (the rule still fires), so the next run raises nothing new.
    expect((await api.call({ method: 'POST', url: '/v1/alerts/run', payload: {} })).json()).toMatchObject({
      raised: 0,
    });
    const missing = await api.call({ method: 'POST', url: '/v1/alerts/alr_nope/acknowledge', payload: {} });
    expect(missing.statusCode).toBe(404);
  });

  it('the back-test runs over HTTP off the event loop, and names a bad window', async () => {
    const window = await api.call({
      method: 'GET',
      url: '/v1/alerts/backtest?from=2025-11-01&to=2026-03-31',
    });
    expect(window.statusCode, window.body).toBe(200);
    expect(window.json()).toMatchObject({
      from: '2025-11-01',
      to: '2026-03-31',
      customers: 1,
      defaulters: 1,
      defaultersWarned: 1,
    });
    expect(window.json().leadDays).toEqual({ p25: 30, median: 30, p75: 30 });
    const reversed = await api.call({
      method: 'GET',
      url: '/v1/alerts/backtest?from=2026-03-31&to=2025-11-01',
    });
    expect(reversed.statusCode).toBe(422);
    expect(reversed.json().error).toMatchObject({ code: 'invalid_range', field: 'from' });
  });

  it('warning rules are versioned data: drafted, checked field by field, activated by someone else', async () => {
    const bad = await api.call({
      method: 'POST',
      url: '/v1/warning-rules',
      payload: { rules: [{ id: 'late', kind: 'overdue', severity: 'high', params: { days: 3 } }] },
    });
    expect(bad.json().error).toMatchObject({ code: 'invalid_warning_rules', field: 'rules[0].params.days' });
    const draft = await api.call({
      method: 'POST',
      url: '/v1/warning-rules',
      payload: {
        rules: [{ id: 'very_late', kind: 'overdue', severity: 'critical', params: { minDaysPastDue: 120 } }],
      },
    });
    expect(draft.statusCode, draft.body).toBe(201);
    const { version } = draft.json();
    // The draft tried before it is activated: a rule that waits 120 days past due warns of none of
    // the window's defaults (reached at 90), where the rules in force (version 0) warned of it.
    const tried = (v: number) =>
      api.call({ method: 'GET', url: `/v1/alerts/backtest?from=2025-11-01&to=2026-03-31&version=${v}` });
    expect((await tried(version)).json()).toMatchObject({ defaulters: 1, defaultersWarned: 0 });
    expect((await tried(0)).json()).toMatchObject({ defaulters: 1, defaultersWarned: 1 });
    const missing = await tried(999);
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error).toMatchObject({ code: 'warning_rules_not_found', field: 'version' });
    const own = await api.call({ method: 'POST', url: `/v1/warning-rules/${version}/activate` });
    expect(own.json().error.code).toBe('four_eyes_violation');
    const active = await api.as(manager, 'POST', `/v1/warning-rules/${version}/activate`);
    expect(active.json()).toMatchObject({ version, status: 'active' });
    expect((await api.call({ method: 'GET', url: '/v1/warning-rules' })).json()).toMatchObject({
      activeVersion: version,
      builtIn: { status: 'retired' },
    });
    // Under the new rules nothing of the old fires: their episodes end, the unhandled ones are cleared.
    const run = (await api.call({ method: 'POST', url: '/v1/alerts/run', payload: {} })).json();
    expect(run).toMatchObject({ rulesVersion: version, raised: 0, ended: 3, cleared: 2 });
  });
});
