import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApi, testApi } from '../support/api.js';

interface OpenApiDocument {
  paths: Record<string, Record<string, unknown>>;
}

describe('authentication', () => {
  let api: TestApi;
  let routes: { method: string; url: string }[];

  beforeAll(async () => {
    api = await testApi('sqlite');
    const doc = (await api.app.inject({ method: 'GET', url: '/openapi.json' })).json<OpenApiDocument>();
    routes = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => ({
        method: method.toUpperCase(),
        url: path.replace(/\{[^}]+\}/g, 'x1'),
      })),
    );
  });
  afterAll(async () => api.dispose());

  it('the OpenAPI document lists the /v1 routes', () => {
    const v1 = routes.filter((r) => r.url.startsWith('/v1/'));
    expect(v1.length).toBeGreaterThanOrEqual(15);
    expect(v1).toContainEqual({ method: 'GET', url: '/v1/customers' });
    expect(v1).toContainEqual({ method: 'POST', url: '/v1/payments' });
  });

  it('every /v1 route of the OpenAPI document answers 401 without a key, or with a wrong one', async () => {
    const v1 = routes.filter((r) => r.url.startsWith('/v1/'));
    for (const route of v1) {
      for (const authorization of [undefined, 'Bearer wrong-key', 'Basic abc', 'Bearer']) {
        const response = await api.app.inject({
          method: route.method as 'GET',
          url: route.url,
          ...(authorization ? { headers: { authorization } } : {}),
          ...(route.method === 'GET' ? {} : { payload: {} }),
        });
        // Login is the one route open without a secret: an empty body is malformed, a 400.
        const login = route.url === '/v1/sessions' && route.method === 'POST';
        expect(response.statusCode, `${route.method} ${route.url} with ${authorization}`).toBe(
          login ? 400 : 401,
        );
        expect(response.json().error.code).toBe(login ? 'invalid_request' : 'unauthorized');
      }
    }
  });

  it('an unknown /v1 path is 401 without a key, 404 with one', async () => {
    expect((await api.app.inject({ method: 'GET', url: '/v1/nothing-here' })).statusCode).toBe(401);
    const found = await api.call({ method: 'GET', url: '/v1/nothing-here' });
    expect(found.statusCode).toBe(404);
    expect(found.json().error.code).toBe('not_found');
  });

  it('names every operation of the OpenAPI document once, from its method and path', async () => {
    const doc = (await api.app.inject({ method: 'GET', url: '/openapi.json' })).json() as {
      paths: Record<string, Record<string, { operationId?: string }>>;
    };
    const ids = Object.values(doc.paths).flatMap((methods) =>
      Object.values(methods).map((op) => op.operationId),
    );
    expect(ids.every((id) => typeof id === 'string' && /^[a-z]+[A-Za-z]*$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect(doc.paths['/v1/customers/{id}/exposure']?.get?.operationId).toBe('getCustomersByIdExposure');
    expect(doc.paths['/v1/orders']?.post?.operationId).toBe('postOrders');
  });

  it('health, the OpenAPI document and the API docs are public', async () => {
    expect((await api.app.inject({ method: 'GET', url: '/health' })).json()).toEqual({ status: 'ok' });
    const doc = await api.app.inject({ method: 'GET', url: '/openapi.json' });
    expect(doc.statusCode).toBe(200);
    expect(doc.json().openapi).toMatch(/^3\./);
    expect((await api.app.inject({ method: 'GET', url: '/docs/' })).statusCode).toBe(200);
  });

  it('limits writes per principal when configured; reads are not counted', async () => {
    const limited = await testApi('sqlite', { writesPerMinute: 3 });
    try {
      const write = () =>
        limited.call({
          method: 'POST',
          url: '/v1/fx-rates',
          payload: { base: 'USD', quote: 'CNY', asOf: '2026-03-01', rate: 7.2 },
        });
      for (let i = 0; i < 5; i++)
        expect((await limited.call({ method: 'GET', url: '/v1/fx-rates' })).statusCode).toBe(200);
      const codes = [];
      for (let i = 0; i < 3; i++) codes.push((await write()).statusCode);
      expect(codes.every((c) => c < 400)).toBe(true);
      const refused = await write();
      expect(refused.statusCode).toBe(429);
      expect(refused.json().error.code).toBe('rate_limited');
      expect(refused.headers['retry-after']).toBeDefined();
    } finally {
      await limited.dispose();
    }
  });

  it('sends security headers', async () => {
    const response = await api.app.inject({ method: 'GET', url: '/health' });
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['content-security-policy']).toContain("default-src 'self'");
    expect(response.headers['strict-transport-security']).toBeDefined();
  });
});
