import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApi, testApi } from '../support/api.js';
import { DIALECTS } from '../support/stores.js';

const PASSWORD = 'views-are-personal-2026';

describe.each(DIALECTS)('saved views (%s)', (dialect) => {
  let api: TestApi;
  const tokens: Record<string, string> = {};
  const as = (who: string, method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object) =>
    api.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${tokens[who]}` },
      ...(payload ? { payload } : {}),
    });

  beforeAll(async () => {
    api = await testApi(dialect);
    for (const username of ['li.na', 'chen.jie']) {
      await api.call({
        method: 'POST',
        url: '/v1/users',
        payload: { username, displayName: username, role: 'credit_analyst', password: PASSWORD },
      });
      tokens[username] = (
        await api.app.inject({
          method: 'POST',
          url: '/v1/sessions',
          payload: { username, password: PASSWORD },
        })
      ).json().token;
    }
  });
  afterAll(async () => api.dispose());

  it("keeps each person's named filters per page, by name, and only their own", async () => {
    const saved = await as('li.na', 'POST', '/v1/me/views', {
      page: 'customers',
      name: 'My large buyers',
      query: '?collector=me&segment=large',
    });
    expect(saved.statusCode, saved.body).toBe(201);
    expect(saved.json()).toMatchObject({
      page: 'customers',
      name: 'My large buyers',
      query: 'collector=me&segment=large',
    });
    await as('li.na', 'POST', '/v1/me/views', { page: 'customers', name: 'Anhui', query: 'name=安徽' });
    await as('li.na', 'POST', '/v1/me/views', {
      page: 'alerts',
      name: 'Critical',
      query: 'severity=critical',
    });
    const mine = (await as('li.na', 'GET', '/v1/me/views?page=customers')).json().items;
    expect(mine.map((v: { name: string }) => v.name)).toEqual(['Anhui', 'My large buyers']);
    expect((await as('chen.jie', 'GET', '/v1/me/views?page=customers')).json().items).toEqual([]);
    // Another's view is not theirs to delete; their own goes.
    expect((await as('chen.jie', 'DELETE', `/v1/me/views/${saved.json().id}`)).statusCode).toBe(404);
    expect((await as('li.na', 'DELETE', `/v1/me/views/${saved.json().id}`)).statusCode).toBe(204);
    expect((await as('li.na', 'GET', '/v1/me/views?page=customers')).json().items).toHaveLength(1);
  });

  it('refuses a name twice, a page it does not know, a cursor in the filters and an API key', async () => {
    const twice = await as('chen.jie', 'POST', '/v1/me/views', {
      page: 'worklist',
      name: 'Mine',
      query: 'collector=me',
    });
    expect(twice.statusCode).toBe(201);
    const again = await as('chen.jie', 'POST', '/v1/me/views', { page: 'worklist', name: 'Mine', query: '' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error).toMatchObject({ code: 'duplicate_view', field: 'name' });
    const page = await as('chen.jie', 'POST', '/v1/me/views', { page: 'ledger', name: 'X', query: '' });
    expect(page.statusCode).toBe(400);
    const cursor = await as('chen.jie', 'POST', '/v1/me/views', {
      page: 'alerts',
      name: 'Y',
      query: 'cursor=abc',
    });
    expect(cursor.json().error).toMatchObject({ code: 'invalid_value', field: 'query' });
    const key = await api.call({ method: 'GET', url: '/v1/me/views?page=alerts' });
    expect(key.json().error.code).toBe('not_a_person');
    // Who is signed in, by name: the header shows it, never an internal id.
    expect((await as('chen.jie', 'GET', '/v1/me')).json()).toMatchObject({
      name: 'chen.jie',
      username: 'chen.jie',
    });
    expect((await api.call({ method: 'GET', url: '/v1/me' })).json()).toMatchObject({
      kind: 'api_key',
      username: null,
    });
  });
});
