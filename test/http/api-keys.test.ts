import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApi, testApi } from '../support/api.js';
import { DIALECTS } from '../support/stores.js';

describe.each(DIALECTS)('API keys: list, rotate, revoke (%s)', (dialect) => {
  let api: TestApi;
  beforeAll(async () => {
    api = await testApi(dialect);
  });
  afterAll(async () => api.dispose());

  const keyIdOf = async (name: string) =>
    (await api.call({ method: 'GET', url: '/v1/api-keys' }))
      .json()
      .items.find((k: { name: string }) => k.name === name);

  it('lists keys without secrets, with when each was last used', async () => {
    const secret = await api.keyFor('auditor');
    expect((await api.as(secret, 'GET', '/v1/customers')).statusCode).toBe(200);
    const listed = (await api.call({ method: 'GET', url: '/v1/api-keys' })).json();
    expect(JSON.stringify(listed)).not.toContain(secret);
    await expect.poll(async () => (await keyIdOf('auditor'))?.lastUsedAt).not.toBeNull();
    expect((await api.as(secret, 'GET', '/v1/api-keys')).statusCode).toBe(403);
  });

  it('rotation gives a new secret and keeps the old one working for its grace period; 0 ends it now', async () => {
    const old = await api.keyFor('finance');
    const { id } = await keyIdOf('finance');
    const rotated = await api.call({
      method: 'POST',
      url: `/v1/api-keys/${id}/rotate`,
      payload: { graceHours: 24 },
    });
    expect(rotated.statusCode).toBe(201);
    const fresh = rotated.json();
    expect(fresh).toMatchObject({ name: 'finance', role: 'finance', key: expect.stringMatching(/^fk_/) });
    expect((await api.as(fresh.key, 'GET', '/v1/customers')).statusCode).toBe(200);
    expect((await api.as(old, 'GET', '/v1/customers')).statusCode).toBe(200);
    const again = await api.call({
      method: 'POST',
      url: `/v1/api-keys/${fresh.id}/rotate`,
      payload: { graceHours: 0 },
    });
    expect((await api.as(fresh.key, 'GET', '/v1/customers')).statusCode).toBe(401);
    expect((await api.as(again.json().key, 'GET', '/v1/customers')).statusCode).toBe(200);
  });

  it('revocation ends a key at once, and a second revocation is refused', async () => {
    const secret = await api.keyFor('legal');
    const { id } = await keyIdOf('legal');
    expect((await api.as(secret, 'GET', '/v1/customers')).statusCode).toBe(200);
    const revoked = await api.call({ method: 'POST', url: `/v1/api-keys/${id}/revoke` });
    expect(revoked.json()).toMatchObject({ id, revokedAt: expect.any(String) });
    expect((await api.as(secret, 'GET', '/v1/customers')).statusCode).toBe(401);
    const twice = await api.call({ method: 'POST', url: `/v1/api-keys/${id}/revoke` });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error.code).toBe('api_key_revoked');
    expect((await api.call({ method: 'POST', url: '/v1/api-keys/key_nope/revoke' })).statusCode).toBe(404);
  });
});
