import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApi, testApi } from '../support/api.js';
import { DIALECTS } from '../support/stores.js';

describe.each(DIALECTS)('provision runs over HTTP (%s)', (dialect) => {
  let api: TestApi;
  let finance: string;
  beforeAll(async () => {
    api = await testApi(dialect);
    finance = await api.keyFor('finance');
    const customer = (
      await api.call({
        method: 'POST',
        url: '/v1/customers',
        payload: { externalId: 'PR-1', name: 'Reserve Ltd', country: 'CN', currency: 'CNY', segment: 'mid' },
      })
    ).json().id;
    for (const [i, issueDate] of ['2025-01-10', '2025-02-10', '2025-03-10', '2025-04-10'].entries())
      await api.call({
        method: 'POST',
        url: '/v1/invoices',
        payload: {
          customerId: customer,
          externalId: `PR-I${i}`,
          invoiceNumber: `PR-I${i}`,
          issueDate,
          dueDate: issueDate.replace(/-10$/, '-28'),
          amountMinor: 100_000,
          currency: 'CNY',
        },
      });
  });
  afterAll(async () => api.dispose());

  it('a dry run keeps nothing; a run is a draft until someone else in finance makes it final', async () => {
    const dry = await api.as(finance, 'POST', '/v1/provision-runs', { asOf: '2026-03-31', dryRun: true });
    expect(dry.statusCode, dry.body).toBe(201);
    expect(dry.json()).toMatchObject({ asOf: '2026-03-31', currency: 'CNY', run: null });
    expect(dry.json().reserveMinor).toBe(
      dry.json().buckets.reduce((s: number, b: { reserveMinor: number }) => s + b.reserveMinor, 0),
    );
    expect((await api.as(finance, 'GET', '/v1/provision-runs')).json().items).toEqual([]);

    const kept = await api.as(finance, 'POST', '/v1/provision-runs', { asOf: '2026-03-31' });
    const id = kept.json().run.id;
    expect(kept.json().run.status).toBe('draft');
    const own = await api.as(finance, 'POST', `/v1/provision-runs/${id}/approve`, { note: 'mine' });
    expect(own.json().error.code).toBe('four_eyes_violation');
    const approved = await api.call({
      method: 'POST',
      url: `/v1/provision-runs/${id}/approve`,
      payload: { note: 'checked' },
    });
    expect(approved.json()).toMatchObject({ id, status: 'final', approvedBy: expect.any(String) });
    const again = await api.call({
      method: 'POST',
      url: `/v1/provision-runs/${id}/approve`,
      payload: { note: 'again' },
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('provision_run_final');
    const read = (await api.as(finance, 'GET', `/v1/provision-runs/${id}`)).json();
    expect(read).toMatchObject({
      id,
      status: 'final',
      result: { asOf: '2026-03-31', reserveMinor: kept.json().reserveMinor },
    });
  });

  it('names what is wrong: a future date, an overlay without its reason, an unknown run', async () => {
    expect(
      (await api.as(finance, 'POST', '/v1/provision-runs', { asOf: '2099-12-31' })).json().error,
    ).toMatchObject({
      code: 'invalid_date',
      field: 'asOf',
    });
    expect(
      (await api.as(finance, 'POST', '/v1/provision-runs', { asOf: '2026-03-31', overlay: 1.3 })).json()
        .error,
    ).toMatchObject({ code: 'required', field: 'overlayReason' });
    expect((await api.as(finance, 'GET', '/v1/provision-runs/prv_nope')).statusCode).toBe(404);
  });

  it("takes individual assessments with four eyes, exports a run's journal and back-tests final runs", async () => {
    const customerId = (await api.call({ method: 'GET', url: '/v1/customers?limit=1' })).json().items[0].id;
    const proposed = await api.as(finance, 'POST', '/v1/specific-provisions', {
      customerId,
      recoveryRate: 0.3,
      reason: 'in liquidation',
    });
    expect(proposed.statusCode, proposed.body).toBe(201);
    const own = await api.as(finance, 'POST', `/v1/specific-provisions/${proposed.json().id}/approve`);
    expect(own.json().error.code).toBe('four_eyes_violation');
    const approved = await api.call({
      method: 'POST',
      url: `/v1/specific-provisions/${proposed.json().id}/approve`,
    });
    expect(approved.json()).toMatchObject({ status: 'approved', effectiveOn: '2026-03-31' });

    const kept = await api.as(finance, 'POST', '/v1/provision-runs', {
      asOf: '2026-03-31',
      method: 'roll_rate',
    });
    expect(kept.statusCode, kept.body).toBe(201);
    const run = kept.json();
    expect(run.settings).toMatchObject({ method: 'roll_rate', accounts: { lossAllowance: '1231' } });
    expect(run.rolls).toHaveLength(4);
    // 400,000 open × (1 − 30 %), and the customer leaves the matrix.
    expect(run.specific).toEqual([
      expect.objectContaining({
        customerId,
        recoveryRate: 0.3,
        customerName: 'Reserve Ltd',
        reserveMinor: 280_000,
      }),
    ]);
    expect(run.buckets.every((b: { openMinor: number }) => b.openMinor === 0)).toBe(true);
    // Against the final run of the same day kept before: the difference is charged.
    expect(run.movement).toMatchObject({ closingMinor: run.reserveMinor, previousAsOf: null });
    const journal = await api.as(finance, 'GET', `/v1/provision-runs/${run.run.id}/journal`);
    const lines = journal.json().items as { account: string; debitMinor: number; creditMinor: number }[];
    expect(lines.map((l) => l.account)).toEqual(['6702', '1231']);
    expect(lines.reduce((s, l) => s + l.debitMinor - l.creditMinor, 0)).toBe(0);
    const csv = await api.as(finance, 'GET', `/v1/provision-runs/${run.run.id}/journal?format=csv`);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body).toContain('2800.00');

    await api.call({
      method: 'POST',
      url: `/v1/provision-runs/${run.run.id}/approve`,
      payload: { note: 'ok' },
    });
    const backtest = (await api.as(finance, 'GET', '/v1/provision-runs/backtest')).json();
    expect(backtest.items).toHaveLength(2);
    expect(backtest.items[1]).toMatchObject({ asOf: '2026-03-31', complete: false, reserveMinor: 280_000 });
    // Three of its four invoices are 365+ days past due by today: lost by the default definition.
    expect(backtest.items[1].specific).toEqual({ reserveMinor: 280_000, realisedLossMinor: 300_000 });
  });
});
