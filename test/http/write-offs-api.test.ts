import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApi, testApi } from '../support/api.js';
import { DIALECTS } from '../support/stores.js';

/** Write-offs (E7, G2): requested by one person, approved by another within the authority matrix. */
describe.each(DIALECTS)('write-offs with approval (%s)', (dialect) => {
  let api: TestApi;
  let invoiceId: string;
  const keys: Record<string, string> = {};
  const as = (who: string, url: string, payload: object, method: 'GET' | 'POST' = 'POST') =>
    api.app.inject({ method, url, payload, headers: { authorization: `Bearer ${keys[who]}` } });
  const request = async (externalId: string, amountMinor: number, who = 'finance') => {
    const r = await as(who, '/v1/write-off-requests', {
      invoiceId,
      externalId,
      amountMinor,
      reason: 'insolvency',
    });
    expect(r.statusCode, r.body).toBe(201);
    return r.json().id as string;
  };
  const open = async () =>
    (await api.call({ method: 'GET', url: `/v1/invoices/${invoiceId}` })).json().openMinor;

  beforeAll(async () => {
    api = await testApi(dialect);
    for (const [who, role] of [
      ['finance', 'finance'],
      ['finance2', 'finance'],
      ['manager', 'credit_manager'],
      ['analyst', 'credit_analyst'],
    ]) {
      keys[who as string] = (
        await api.call({ method: 'POST', url: '/v1/api-keys', payload: { name: who, role } })
      ).json().key;
    }
    const customer = await api.call({
      method: 'POST',
      url: '/v1/customers',
      payload: { externalId: 'WO-C', name: 'Gone Ltd', country: 'CN', currency: 'CNY', segment: 'small' },
    });
    const invoice = await api.call({
      method: 'POST',
      url: '/v1/invoices',
      payload: {
        customerId: customer.json().id,
        externalId: 'WO-I',
        invoiceNumber: 'WO-I',
        issueDate: '2026-01-01',
        dueDate: '2026-01-31',
        amountMinor: 20_000_000,
        currency: 'CNY',
      },
    });
    invoiceId = invoice.json().id;
  });
  afterAll(async () => api.dispose());

  it('a request changes nothing; its requester cannot approve it; another finance person can, within 50,000.00 CNY', async () => {
    const id = await request('WO-1', 3_000_000);
    expect(await open()).toBe(20_000_000);
    const self = await as('finance', `/v1/write-off-requests/${id}/approve`, { note: 'mine' });
    expect(self.json().error.code).toBe('four_eyes_violation');
    const byAnalyst = await as('analyst', `/v1/write-off-requests/${id}/approve`, { note: 'x' });
    expect(byAnalyst.statusCode).toBe(403);
    const approved = await as('finance2', `/v1/write-off-requests/${id}/approve`, {
      note: 'court filing seen',
    });
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json()).toMatchObject({
      status: 'approved',
      decidedBy: expect.stringMatching(/^api_key:/),
    });
    expect(await open()).toBe(17_000_000);
    const notes = (await api.call({ method: 'GET', url: `/v1/credit-notes?invoiceId=${invoiceId}` })).json()
      .items;
    expect(notes).toEqual([
      expect.objectContaining({ kind: 'write_off', amountMinor: 3_000_000, externalId: 'WO-1' }),
    ]);
    const again = await as('finance2', `/v1/write-off-requests/${id}/approve`, { note: 'again' });
    expect(again.json().error.code).toBe('write_off_request_decided');
  });

  it('above finance authority only a credit manager or an admin approves; a rejection writes nothing', async () => {
    const big = await request('WO-2', 6_000_000);
    expect(
      (await as('finance2', `/v1/write-off-requests/${big}/approve`, { note: 'x' })).json().error.code,
    ).toBe('insufficient_authority');
    expect((await as('manager', `/v1/write-off-requests/${big}/approve`, { note: 'ok' })).json().status).toBe(
      'approved',
    );
    expect(await open()).toBe(11_000_000);
    const rejected = await request('WO-3', 1_000);
    expect(
      (await as('manager', `/v1/write-off-requests/${rejected}/reject`, { note: 'still collectable' })).json()
        .status,
    ).toBe('rejected');
    expect(await open()).toBe(11_000_000);
    const tooMuch = await as('finance', '/v1/write-off-requests', {
      invoiceId,
      externalId: 'WO-4',
      amountMinor: 11_000_001,
      reason: 'x',
    });
    expect(tooMuch.json().error).toMatchObject({ code: 'exceeds_open_amount', field: 'amountMinor' });
    const pending = (await as('manager', '/v1/write-off-requests?status=approved', {}, 'GET')).json().items;
    expect(pending.map((r: { externalId: string }) => r.externalId)).toEqual(['WO-1', 'WO-2']);
  });

  it('a dispute written off needs the same authority, and not its opener', async () => {
    const dispute = await as('finance', `/v1/invoices/${invoiceId}/disputes`, {
      amountMinor: 8_000_000,
      reason: 'quality',
      note: 'whole batch rejected',
      owner: 'finance',
      dueOn: '2026-04-30',
    });
    expect(dispute.statusCode, dispute.body).toBe(201);
    const resolve = (who: string) =>
      as(who, `/v1/disputes/${dispute.json().id}/resolve`, {
        resolution: 'written_off',
        note: 'buyer insolvent',
      });
    expect((await resolve('finance')).json().error.code).toBe('four_eyes_violation');
    expect((await resolve('finance2')).json().error.code).toBe('insufficient_authority');
    expect((await resolve('manager')).json()).toMatchObject({
      status: 'resolved',
      resolution: 'written_off',
    });
    expect(await open()).toBe(3_000_000);
  });
});
