import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApi, testApi } from '../support/api.js';
import { DIALECTS } from '../support/stores.js';

const PRINCIPALS = {
  sales: { role: 'sales', salesOwner: 'wang.li' },
  salesDirector: { role: 'sales', salesOwner: 'director' },
  finance: { role: 'finance' },
  legal: { role: 'legal' },
  manager: { role: 'credit_manager' },
  admin: { role: 'admin' },
} as const;
type Who = keyof typeof PRINCIPALS;

describe.each(DIALECTS)('the credit committee (%s)', (dialect) => {
  let api: TestApi;
  let customerId: string;
  const keys = {} as Record<Who, string>;
  const as = (who: Who, method: 'GET' | 'POST', url: string, payload?: object) =>
    api.app.inject({ method, url, payload, headers: { authorization: `Bearer ${keys[who]}` } });
  const requestLimit = async (amountMinor: number) => {
    const response = await as('sales', 'POST', '/v1/limit-requests', {
      subjectType: 'customer',
      subjectId: customerId,
      kind: 'permanent',
      amountMinor,
      currency: 'CNY',
      reason: 'framework contract with the state grid',
    });
    expect(response.statusCode, response.body).toBe(201);
    return response.json().id as string;
  };
  const signOff = (who: Who, id: string, decision: 'approve' | 'reject', note = 'ok') =>
    as(who, 'POST', `/v1/limit-requests/${id}/sign-offs`, { decision, note });

  beforeAll(async () => {
    api = await testApi(dialect);
    for (const [who, principal] of Object.entries(PRINCIPALS)) {
      const created = await api.call({
        method: 'POST',
        url: '/v1/api-keys',
        payload: { name: who, ...principal },
      });
      keys[who as Who] = created.json().key;
    }
    customerId = (
      await api.call({
        method: 'POST',
        url: '/v1/customers',
        payload: {
          externalId: 'BIG-1',
          name: '国网物资有限公司',
          country: 'CN',
          currency: 'CNY',
          segment: 'large',
          salesOwner: 'wang.li',
        },
      })
    ).json().id;
  });
  afterAll(async () => api.dispose());

  it('above the threshold, approval waits for sales, finance and legal; each signs once, never on their own request', async () => {
    const id = await requestLimit(600_000_000);
    const early = await as('admin', 'POST', `/v1/limit-requests/${id}/approve`, { note: 'fine' });
    expect(early.statusCode).toBe(409);
    expect(early.json().error).toMatchObject({ code: 'committee_pending' });
    expect(early.json().error.message).toContain('sales, finance, legal');

    expect((await as('finance', 'GET', '/v1/committee/inbox')).json().items).toEqual([
      expect.objectContaining({
        request: expect.objectContaining({ id }),
        committee: expect.objectContaining({ missing: ['sales', 'finance', 'legal'] }),
      }),
    ]);
    expect((await signOff('sales', id, 'approve')).json().error.code).toBe('four_eyes_violation');
    const bySales = await signOff('salesDirector', id, 'approve', 'volumes confirmed');
    expect(bySales.statusCode, bySales.body).toBe(201);
    expect(bySales.json().committee.missing).toEqual(['finance', 'legal']);
    expect((await signOff('salesDirector', id, 'approve')).json().error.code).toBe('already_signed');
    expect((await signOff('manager', id, 'approve')).json().error.code).toBe('forbidden');
    expect((await signOff('admin', id, 'approve')).json().error.code).toBe('not_a_committee_role');
    expect((await as('salesDirector', 'GET', '/v1/committee/inbox')).json().items).toEqual([]);
    await signOff('finance', id, 'approve', 'balance sheet strong');
    const last = await signOff('legal', id, 'approve', 'contract reviewed');
    expect(last.json().committee.missing).toEqual([]);
    expect(last.json().committee.signOffs.map((s: { role: string }) => s.role)).toEqual([
      'sales',
      'finance',
      'legal',
    ]);

    // The committee adds eyes; it does not replace the authority matrix.
    expect(
      (await as('manager', 'POST', `/v1/limit-requests/${id}/approve`, { note: 'ok' })).json().error.code,
    ).toBe('insufficient_authority');
    const approved = await as('admin', 'POST', `/v1/limit-requests/${id}/approve`, { note: 'ok' });
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json().status).toBe('approved');
    const exposure = await api.call({ method: 'GET', url: `/v1/customers/${customerId}/exposure` });
    expect(exposure.json().limitMinor).toBe(600_000_000);
    const audit = await api.services.store.db
      .selectFrom('audit_events')
      .select(['action', 'actor'])
      .where('entity_id', '=', id)
      .orderBy('seq')
      .execute();
    expect(audit.map((a) => a.action)).toEqual([
      'limit_request.created',
      'limit_request.committee_approved',
      'limit_request.committee_approved',
      'limit_request.committee_approved',
      'limit_request.approved',
    ]);
  });

  it('any one member rejects with reasons, and that ends the request', async () => {
    const id = await requestLimit(700_000_000);
    await signOff('finance', id, 'approve');
    const rejected = await signOff('legal', id, 'reject', 'pending litigation against the buyer');
    expect(rejected.json().request).toMatchObject({
      status: 'rejected',
      decisionNote: 'pending litigation against the buyer',
    });
    expect(
      (await as('admin', 'POST', `/v1/limit-requests/${id}/approve`, { note: 'x' })).json().error.code,
    ).toBe('limit_request_decided');
    expect((await signOff('salesDirector', id, 'approve')).json().error.code).toBe('limit_request_decided');
  });

  it('below the threshold there is no committee', async () => {
    const id = await requestLimit(100_000_000);
    expect((await signOff('finance', id, 'approve')).json().error.code).toBe('committee_not_required');
    expect((await as('manager', 'POST', `/v1/limit-requests/${id}/approve`, { note: 'ok' })).statusCode).toBe(
      200,
    );
  });
});
