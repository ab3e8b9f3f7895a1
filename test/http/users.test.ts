import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApi, testApi } from '../support/api.js';
import { DIALECTS } from '../support/stores.js';

const PASSWORD = 'correct horse battery';

describe.each(DIALECTS)('users, password login and sessions (%s)', (dialect) => {
  let api: TestApi;
  const login = (username: string, password: string, remoteAddress = '10.0.0.1') =>
    api.app.inject({ method: 'POST', url: '/v1/sessions', payload: { username, password }, remoteAddress });
  const as = (token: string, url: string) =>
    api.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
  const createUser = (payload: object) => api.call({ method: 'POST', url: '/v1/users', payload });

  beforeAll(async () => {
    api = await testApi(dialect);
    for (const [externalId, salesOwner] of [
      ['MINE', 'wang.li'],
      ['THEIRS', 'zhao.min'],
    ])
      await api.call({
        method: 'POST',
        url: '/v1/customers',
        payload: { externalId, name: externalId, country: 'CN', currency: 'CNY', segment: 'mid', salesOwner },
      });
  });
  afterAll(async () => api.dispose());

  it('creates users with clear errors for a weak password, a taken name or a sales user without customers', async () => {
    const ok = await createUser({
      username: 'Wang.Li',
      displayName: '王力',
      role: 'sales',
      salesOwner: 'wang.li',
      password: PASSWORD,
    });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json()).toMatchObject({ username: 'wang.li', role: 'sales', disabled: false });
    expect(ok.body).not.toContain('argon2');
    const weak = await createUser({ username: 'a1', displayName: 'A', role: 'auditor', password: 'short' });
    expect(weak.json().error).toMatchObject({ code: 'weak_password', field: 'password' });
    const taken = await createUser({
      username: 'wang.li',
      displayName: 'W',
      role: 'auditor',
      password: PASSWORD,
    });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error.code).toBe('duplicate_username');
    const noScope = await createUser({ username: 's2', displayName: 'S', role: 'sales', password: PASSWORD });
    expect(noScope.json().error).toMatchObject({ code: 'required', field: 'salesOwner' });
    const users = (await api.call({ method: 'GET', url: '/v1/users' })).json().items;
    expect(users.map((u: { username: string }) => u.username)).toEqual(['wang.li']);
    const audit = await api.services.store.db
      .selectFrom('audit_events')
      .select(['action', 'after_json'])
      .where('entity_type', '=', 'user')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['user.created']);
    expect(JSON.stringify(audit)).not.toMatch(/argon2|password/i);
  });

  it('a sales user logs in and sees only their own customers', async () => {
    const session = await login('WANG.LI', PASSWORD);
    expect(session.statusCode, session.body).toBe(201);
    const { token, user } = session.json();
    expect(token).toMatch(/^fs_/);
    expect(user).toMatchObject({ username: 'wang.li', role: 'sales' });
    const me = (await as(token, '/v1/me')).json();
    expect(me).toMatchObject({ kind: 'user', role: 'sales', salesOwner: 'wang.li' });
    // What the dashboard offers a salesperson: ask for limits and place orders, not decide them.
    expect(me.permissions).toEqual(expect.arrayContaining(['orders.place', 'limits.request']));
    expect(me.permissions).not.toContain('limits.decide');
    expect(me.permissions).not.toContain('orders.decide');
    const customers = (await as(token, '/v1/customers')).json().items;
    expect(customers.map((c: { externalId: string }) => c.externalId)).toEqual(['MINE']);
    expect((await as(token, '/v1/customers?salesOwner=zhao.min')).json().error.code).toBe('not_owner');
    expect((await as(token, '/v1/receivables/aging')).statusCode).toBe(403);
  });

  it('every failed login looks alike; five in a row lock the account, even for the right password, until an admin resets it', async () => {
    const unknown = await login('nobody', PASSWORD, '10.0.0.2');
    const wrong = await login('wang.li', 'not the password', '10.0.0.2');
    expect(unknown.statusCode).toBe(401);
    expect(wrong.statusCode).toBe(401);
    expect(unknown.json()).toEqual(wrong.json());
    for (let i = 0; i < 4; i++)
      expect((await login('wang.li', `guess ${i}`, '10.0.0.2')).statusCode).toBe(401);
    const locked = await login('wang.li', PASSWORD, '10.0.0.2');
    expect(locked.statusCode).toBe(423);
    expect(locked.json().error.code).toBe('account_locked');
    const id = (await api.call({ method: 'GET', url: '/v1/users' })).json().items[0].id;
    const reset = await api.call({
      method: 'PATCH',
      url: `/v1/users/${id}`,
      payload: { password: 'a new long password' },
    });
    expect(reset.json()).toMatchObject({ lockedUntil: null });
    expect((await login('wang.li', 'a new long password', '10.0.0.3')).statusCode).toBe(201);
    const events = await api.services.store.db
      .selectFrom('audit_events')
      .select('action')
      .where('entity_id', '=', id)
      .orderBy('seq')
      .execute();
    expect(events.map((e) => e.action)).toEqual(['user.created', 'user.locked_out', 'user.password_reset']);
  });

  it('logout ends the session; disabling a user or changing the role ends all of theirs at once', async () => {
    const first = (await login('wang.li', 'a new long password', '10.0.0.4')).json().token;
    const second = (await login('wang.li', 'a new long password', '10.0.0.4')).json().token;
    expect((await as(first, '/v1/me')).statusCode).toBe(200);
    const out = await api.app.inject({
      method: 'DELETE',
      url: '/v1/sessions/current',
      headers: { authorization: `Bearer ${first}` },
    });
    expect(out.statusCode).toBe(204);
    expect((await as(first, '/v1/me')).statusCode).toBe(401);
    expect((await as(second, '/v1/me')).statusCode).toBe(200);
    const id = (await api.call({ method: 'GET', url: '/v1/users' })).json().items[0].id;
    await api.call({ method: 'PATCH', url: `/v1/users/${id}`, payload: { disabled: true } });
    expect((await as(second, '/v1/me')).statusCode).toBe(401);
    expect((await login('wang.li', 'a new long password', '10.0.0.4')).statusCode).toBe(401);
  });

  it('a password reset by an admin ends every session; changing one’s own ends every other one', async () => {
    const created = await api.call({
      method: 'POST',
      url: '/v1/users',
      payload: { username: 'zhao.min', displayName: 'Zhao Min', role: 'auditor', password: PASSWORD },
    });
    const id = created.json().id;
    const before = (await login('zhao.min', PASSWORD, '10.0.1.1')).json().token;
    await api.call({ method: 'PATCH', url: `/v1/users/${id}`, payload: { password: 'reset by the admin' } });
    expect((await as(before, '/v1/me')).statusCode).toBe(401);

    const mine = (await login('zhao.min', 'reset by the admin', '10.0.1.2')).json().token;
    const stolen = (await login('zhao.min', 'reset by the admin', '10.0.1.3')).json().token;
    const change = (currentPassword: string, newPassword: string) =>
      api.app.inject({
        method: 'PUT',
        url: '/v1/me/password',
        headers: { authorization: `Bearer ${mine}` },
        payload: { currentPassword, newPassword },
      });
    const wrong = await change('not my password', 'my own new password');
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json().error).toMatchObject({ code: 'wrong_password', field: 'currentPassword' });
    expect((await as(stolen, '/v1/me')).statusCode).toBe(200);
    expect((await change('reset by the admin', 'my own new password')).statusCode).toBe(204);
    expect((await as(stolen, '/v1/me')).statusCode).toBe(401);
    expect((await as(mine, '/v1/me')).statusCode).toBe(200);
    expect((await login('zhao.min', 'my own new password', '10.0.1.4')).statusCode).toBe(201);
    const keyed = await api.call({
      method: 'PUT',
      url: '/v1/me/password',
      payload: { currentPassword: 'x', newPassword: 'an api key has none' },
    });
    expect(keyed.json().error.code).toBe('not_a_user');
  });

  it('a malformed login body is a 400 naming the field, not a 401', async () => {
    const missing = await api.app.inject({ method: 'POST', url: '/v1/sessions', payload: { username: 'x' } });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error).toMatchObject({ code: 'invalid_request', field: 'password' });
    const extra = await api.app.inject({
      method: 'POST',
      url: '/v1/sessions',
      payload: { username: 'x', password: 'y', admin: true },
    });
    expect(extra.statusCode).toBe(400);
  });

  it('limits logins per address: the eleventh in a minute is refused before the password is checked', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 11; i++) codes.push((await login('nobody', 'x', '10.0.0.9')).statusCode);
    expect(codes.slice(0, 10).every((c) => c === 401)).toBe(true);
    expect(codes[10]).toBe(429);
    expect((await login('nobody', 'x', '10.0.0.10')).statusCode).toBe(401);
  });
});
