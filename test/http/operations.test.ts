import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBootstrapKey } from '../../src/app/auth/api-keys.js';
import { observations } from '../../src/app/observations.js';
import { build } from '../../src/http/app.js';
import { ADMIN_KEY, type TestApi, testApi } from '../support/api.js';
import { freshStore, testServices } from '../support/stores.js';

describe('liveness, readiness and Prometheus metrics', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await testApi('sqlite');
  });
  afterAll(async () => api.dispose());

  it('is live and ready on a migrated store', async () => {
    expect((await api.app.inject({ method: 'GET', url: '/health/live' })).json()).toEqual({ status: 'ok' });
    const ready = await api.app.inject({ method: 'GET', url: '/health/ready' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ok' });
  });

  it('is not ready while migrations are pending', async () => {
    const t = await freshStore('sqlite', '014_ratings');
    const app = await build({ services: testServices(t.store), webRoot: '/nonexistent' });
    try {
      const ready = await app.inject({ method: 'GET', url: '/health/ready' });
      expect(ready.statusCode).toBe(503);
      expect(ready.json().reason).toMatch(/015_idempotency_outcomes/);
    } finally {
      await app.close();
      await t.dispose();
    }
  });

  it('serves metrics to an admin or auditor key only, with requests, desk runs and orders by outcome', async () => {
    expect((await api.app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(401);
    const analyst = (
      await api.call({ method: 'POST', url: '/v1/api-keys', payload: { name: 'a', role: 'credit_analyst' } })
    ).json().key;
    const refused = await api.app.inject({
      method: 'GET',
      url: '/metrics',
      headers: { authorization: `Bearer ${analyst}` },
    });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe('forbidden');
    const customer = (
      await api.call({
        method: 'POST',
        url: '/v1/customers',
        payload: { externalId: 'M-1', name: 'Metrics Ltd', country: 'CN', currency: 'CNY', segment: 'mid' },
      })
    ).json().id;
    await api.call({
      method: 'POST',
      url: '/v1/orders',
      payload: { customerId: customer, externalId: 'M-O1', amountMinor: 100, currency: 'CNY' },
    });
    const metrics = await api.call({ method: 'GET', url: '/metrics' });
    expect(metrics.statusCode).toBe(200);
    expect(metrics.headers['content-type']).toMatch(/^text\/plain/);
    expect(metrics.body).toMatch(
      /fulcrum_http_requests_total\{method="POST",route="\/v1\/orders",status="201"\} 1/,
    );
    expect(metrics.body).toMatch(/fulcrum_order_desk_run_orders_count \d+/);
    expect(metrics.body).toMatch(/fulcrum_orders\{outcome="\w+",status="\w+"\} 1/);
    expect(metrics.body).toMatch(/fulcrum_process_process_resident_memory_bytes/);
  });

  it('counts ingested events and webhook tries as the code reports them, and shows webhook deliveries by status', async () => {
    observations.emit('ingest.event', { kind: 'invoices', outcome: 'applied' });
    observations.emit('ingest.event', { kind: 'invoices', outcome: 'applied' });
    observations.emit('ingest.event', { kind: 'payments', outcome: 'dead_letter' });
    observations.emit('webhook.attempt', { ok: false });
    observations.emit('ingest.lag', { pending: 1_200, inFlight: 300 });
    const body = (await api.call({ method: 'GET', url: '/metrics' })).body;
    expect(body).toMatch(/fulcrum_ingest_events_total\{kind="invoices",outcome="applied"\} 2/);
    expect(body).toMatch(/fulcrum_ingest_events_total\{kind="payments",outcome="dead_letter"\} 1/);
    expect(body).toMatch(/fulcrum_webhook_attempts_total\{result="failed"\} 1/);
    expect(body).toMatch(/fulcrum_ingest_lag_events\{state="pending"\} 1200/);
    expect(body).toMatch(/fulcrum_ingest_lag_events\{state="in_flight"\} 300/);
    expect(body).toMatch(/# TYPE fulcrum_webhook_deliveries gauge/);
  });

  it('shows the PostgreSQL connection pool', async () => {
    const pg = await testApi('postgres');
    try {
      await pg.call({ method: 'GET', url: '/v1/customers' });
      const body = (await pg.call({ method: 'GET', url: '/metrics' })).body;
      expect(body).toMatch(/fulcrum_store_connections\{state="total"\} [1-9]/);
      expect(body).toMatch(/fulcrum_store_connections\{state="idle"\} \d+/);
      expect(body).toMatch(/fulcrum_store_connections\{state="waiting"\} \d+/);
    } finally {
      await pg.dispose();
    }
  });

  it('serves metrics without a key when configured public', async () => {
    const t = await freshStore('sqlite');
    const services = testServices(t.store);
    await ensureBootstrapKey(services, { configuredKey: ADMIN_KEY, dataDir: '/nonexistent' });
    const app = await build({ services, webRoot: '/nonexistent', metricsPublic: true });
    try {
      expect((await app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(200);
    } finally {
      await app.close();
      await t.dispose();
    }
  });
});
