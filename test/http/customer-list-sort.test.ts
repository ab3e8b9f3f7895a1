import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApi, testApi } from '../support/api.js';
import { walkPages } from '../support/pages.js';
import { DIALECTS } from '../support/stores.js';

/** Names that sort alike under any collation (one case, letters only), two of them shared. */
const NAMES = ['Delta', 'Alpha', 'Gamma', 'Beta', 'Epsilon', 'Beta', 'Zeta', 'Alpha', 'Kappa'];

describe.each(DIALECTS)('the customer list sorted on the server, a page at a time (%s)', (dialect) => {
  let api: TestApi;
  const created: { id: string; name: string; externalId: string }[] = [];

  /** Every page of the list in this order, `limit` at a time, following the cursors. */
  const walk = (query: string, limit: number) =>
    walkPages<{ id: string; name: string; externalId: string }>(api, '/v1/customers', query, limit);

  beforeAll(async () => {
    api = await testApi(dialect);
    for (const [k, name] of NAMES.entries()) {
      const answer = await api.call({
        method: 'POST',
        url: '/v1/customers',
        payload: {
          externalId: `SORT-${String(9 - k)}`,
          name,
          country: 'CN',
          currency: 'CNY',
          segment: 'mid',
        },
      });
      created.push(answer.json());
    }
  });
  afterAll(async () => api.dispose());

  it('walks every customer once in name order, ties by id, in pages of any size, either way', async () => {
    const byName = [...created].sort((a, b) => a.name.localeCompare(b.name) || (a.id < b.id ? -1 : 1));
    for (const limit of [1, 2, 4, 50]) {
      expect((await walk('sort=name', limit)).map((c) => c.id)).toEqual(byName.map((c) => c.id));
      expect((await walk('sort=-name', limit)).map((c) => c.id)).toEqual(byName.map((c) => c.id).reverse());
    }
    const byExternalId = [...created].sort((a, b) => (a.externalId < b.externalId ? -1 : 1));
    expect((await walk('sort=-externalId', 3)).map((c) => c.externalId)).toEqual(
      byExternalId.map((c) => c.externalId).reverse(),
    );
    // Filters and order together: the two Betas and the Alphas, by name.
    expect((await walk('sort=name&search=a', 1)).map((c) => c.name)).toEqual(
      byName.filter((c) => c.name.toLowerCase().includes('a')).map((c) => c.name),
    );
  });

  it('refuses a cursor from another order, or one it never gave, naming the field', async () => {
    const byId = (await api.call({ method: 'GET', url: '/v1/customers?limit=2' })).json();
    const sorted = await api.call({
      method: 'GET',
      url: `/v1/customers?limit=2&sort=name&cursor=${byId.nextCursor}`,
    });
    expect(sorted.statusCode).toBe(400);
    expect(sorted.json().error).toMatchObject({ code: 'invalid_cursor', field: 'cursor' });
    const byName = (await api.call({ method: 'GET', url: '/v1/customers?limit=2&sort=name' })).json();
    const plain = await api.call({ method: 'GET', url: `/v1/customers?limit=2&cursor=${byName.nextCursor}` });
    expect(plain.json().error).toMatchObject({ code: 'invalid_cursor', field: 'cursor' });
    const forged = Buffer.from('k:{"not":"a list"}').toString('base64url');
    const refused = await api.call({ method: 'GET', url: `/v1/customers?sort=name&cursor=${forged}` });
    expect(refused.json().error).toMatchObject({ code: 'invalid_cursor', field: 'cursor' });
    const unknown = await api.call({ method: 'GET', url: '/v1/customers?sort=riskClass' });
    expect(unknown.statusCode).toBe(400);
  });
});
