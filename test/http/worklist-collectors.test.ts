import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApi, testApi } from '../support/api.js';
import { walkPages } from '../support/pages.js';
import { DIALECTS } from '../support/stores.js';

const PASSWORD = 'collect-them-all-2026';

// The test clock stands on 2026-03-31.
describe.each(DIALECTS)('a worklist per collector (%s)', (dialect) => {
  let api: TestApi;
  const customers: string[] = [];
  let token = '';
  const post = (url: string, payload: object) => api.call({ method: 'POST', url, payload });
  const names = async (query: string, bearer?: string) => {
    const answer = await api.call({
      method: 'GET',
      url: `/v1/collections/worklist${query}`,
      ...(bearer ? { headers: { authorization: `Bearer ${bearer}` } } : {}),
    });
    expect(answer.statusCode, answer.body).toBe(200);
    return answer
      .json()
      .items.map((i: { customerName: string; collector: string | null }) => [i.customerName, i.collector]);
  };

  beforeAll(async () => {
    api = await testApi(dialect);
    for (const [username, role] of [
      ['li.na', 'credit_manager'],
      ['wu.fei', 'auditor'],
    ] as const)
      expect(
        (await post('/v1/users', { username, displayName: username, role, password: PASSWORD })).statusCode,
      ).toBe(201);
    token = (
      await api.app.inject({
        method: 'POST',
        url: '/v1/sessions',
        payload: { username: 'li.na', password: PASSWORD },
      })
    ).json().token;
    // Three overdue customers, the larger debt first; dunning opens a task for each.
    for (const [k, amountMinor] of [300_000, 200_000, 100_000].entries()) {
      const id = (
        await post('/v1/customers', {
          externalId: `WC-${k}`,
          name: `Debtor ${k}`,
          country: 'CN',
          currency: 'CNY',
          segment: 'mid',
        })
      ).json().id;
      customers.push(id);
      await post('/v1/invoices', {
        customerId: id,
        externalId: `WC-I${k}`,
        invoiceNumber: `W-${k}`,
        issueDate: '2026-01-01',
        dueDate: '2026-02-28',
        amountMinor,
        currency: 'CNY',
      });
    }
    await post('/v1/dunning/runs', {});
  });
  afterAll(async () => api.dispose());

  it('assigns accounts to collectors who work collections, refusing anyone else by field', async () => {
    const assign = (i: number, collector: string | null) =>
      api.call({ method: 'PATCH', url: `/v1/customers/${customers[i]}`, payload: { collector } });
    const assigned = await assign(0, 'li.na');
    expect(assigned.statusCode, assigned.body).toBe(200);
    expect(assigned.json().collector).toBe('li.na');
    expect((await assign(2, 'li.na')).statusCode).toBe(200);
    expect((await assign(1, 'nobody')).json().error).toMatchObject({
      code: 'user_not_found',
      field: 'collector',
    });
    expect((await assign(1, 'wu.fei')).json().error).toMatchObject({
      code: 'invalid_role',
      field: 'collector',
    });
    expect(
      (await api.call({ method: 'GET', url: `/v1/customers/${customers[1]}` })).json().collector,
    ).toBeNull();
  });

  it("filters the day by collector — a username, one's own (me) or nobody's — most valuable first, up to limit", async () => {
    expect(await names('')).toEqual([
      ['Debtor 0', 'li.na'],
      ['Debtor 1', null],
      ['Debtor 2', 'li.na'],
    ]);
    expect(await names('?collector=li.na')).toEqual([
      ['Debtor 0', 'li.na'],
      ['Debtor 2', 'li.na'],
    ]);
    expect(await names('?collector=me', token)).toEqual(await names('?collector=li.na'));
    expect(await names('?collector=none')).toEqual([['Debtor 1', null]]);
    expect(await names('?limit=1')).toEqual([['Debtor 0', 'li.na']]);
    // The customer list takes the same filter, and finds an account by name, external id or registration id.
    const listed = async (query: string) =>
      (await api.call({ method: 'GET', url: `/v1/customers?${query}` }))
        .json()
        .items.map((c: { name: string }) => c.name);
    expect(await listed('collector=li.na')).toEqual(['Debtor 0', 'Debtor 2']);
    expect(await listed('collector=none')).toEqual(['Debtor 1']);
    expect(await listed('search=WC-1')).toEqual(['Debtor 1']);
    expect(await listed('search=debtor')).toEqual(['Debtor 0', 'Debtor 1', 'Debtor 2']);
    // An API key is nobody: it names the collector instead.
    const keyed = await api.call({ method: 'GET', url: '/v1/collections/worklist?collector=me' });
    expect(keyed.json().error).toMatchObject({ code: 'not_a_person', field: 'collector' });
    const unassigned = await api.call({
      method: 'PATCH',
      url: `/v1/customers/${customers[0]}`,
      payload: { collector: null },
    });
    expect(unassigned.json().collector).toBeNull();
  });

  it('sorts the day on the server and pages it with cursors, either way round', async () => {
    const walk = async (query: string, limit: number) =>
      (await walkPages<{ customerName: string }>(api, '/v1/collections/worklist', query, limit)).map(
        (i) => i.customerName,
      );
    for (const limit of [1, 2, 50]) {
      expect(await walk('', limit)).toEqual(['Debtor 0', 'Debtor 1', 'Debtor 2']);
      expect(await walk('sort=overdue', limit)).toEqual(['Debtor 2', 'Debtor 1', 'Debtor 0']);
      expect(await walk('sort=-name', limit)).toEqual(['Debtor 2', 'Debtor 1', 'Debtor 0']);
    }
    // Equal days past due: ties go by customer id, so no account is seen twice or skipped.
    const byDays = await walk('sort=-daysPastDue', 1);
    expect([...byDays].sort()).toEqual(['Debtor 0', 'Debtor 1', 'Debtor 2']);
    const bad = await api.call({ method: 'GET', url: '/v1/collections/worklist?cursor=nonsense' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatchObject({ code: 'invalid_cursor', field: 'cursor' });
  });
});
