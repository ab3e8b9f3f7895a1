import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY, type TestApi, testApi } from '../support/api.js';

/** A raw request over a socket: the router and Node's parser see exactly what a client sent. */
function send(port: number, path: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, headers }, (res) => {
      let body = '';
      res.on('data', (chunk) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('requests the router or the HTTP parser refuse answer in the contract’s shape', () => {
  let api: TestApi;
  let port: number;
  beforeAll(async () => {
    api = await testApi('sqlite');
    await api.app.listen({ host: '127.0.0.1', port: 0 });
    port = (api.app.server.address() as AddressInfo).port;
  });
  afterAll(async () => api.dispose());

  const auth = { authorization: `Bearer ${ADMIN_KEY}` };

  it('a path parameter past the router’s limit: 401 without a valid key, 414 with one', async () => {
    const path = `/v1/customers/${'x'.repeat(5_000)}`;
    for (const headers of [{}, { authorization: 'Bearer wrong' }] as Record<string, string>[]) {
      const refused = await send(port, path, headers);
      expect(refused.status).toBe(401);
      expect(JSON.parse(refused.body).error.code).toBe('unauthorized');
    }
    const long = await send(port, path, auth);
    expect(long.status).toBe(414);
    expect(JSON.parse(long.body)).toEqual({ error: { code: 'uri_too_long', message: expect.any(String) } });
  });

  it('an id longer than any id but within the router’s limit is a 400 after authentication', async () => {
    const path = `/v1/customers/${'x'.repeat(500)}`;
    expect((await send(port, path)).status).toBe(401);
    const long = await send(port, path, auth);
    expect(long.status).toBe(400);
    expect(JSON.parse(long.body).error.code).toBe('invalid_request');
  });

  it('a query string past the header limit: 431 in the error shape', async () => {
    const refused = await send(port, `/v1/customers?q=${'y'.repeat(70_000)}`, auth);
    expect(refused.status).toBe(431);
    expect(JSON.parse(refused.body).error.code).toBe('headers_too_large');
  });
});
