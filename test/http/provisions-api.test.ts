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
});
