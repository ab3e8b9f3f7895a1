import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBootstrapKey } from '../../src/app/auth/api-keys.js';
import { build } from '../../src/http/app.js';
import { startTracing } from '../../src/tracing.js';
import { ADMIN_KEY } from '../support/api.js';
import { freshStore, type TestStore, testServices } from '../support/stores.js';

interface ExportedSpan {
  name: string;
  attributes: { key: string; value: { stringValue?: string; intValue?: string | number } }[];
}

describe('OpenTelemetry tracing (FULCRUM_OTEL_ENDPOINT)', () => {
  let collector: Server;
  let endpoint: string;
  const spans: ExportedSpan[] = [];
  let t: TestStore;
  beforeAll(async () => {
    // An OTLP/HTTP collector: the exporter posts JSON.
    collector = createServer((request, response) => {
      let body = '';
      request.on('data', (c) => {
        body += c;
      });
      request.on('end', () => {
        const payload = JSON.parse(body) as {
          resourceSpans: { scopeSpans: { spans: ExportedSpan[] }[] }[];
        };
        for (const r of payload.resourceSpans) for (const s of r.scopeSpans) spans.push(...s.spans);
        response.setHeader('content-type', 'application/json');
        response.end('{}');
      });
    });
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(collector.address() as AddressInfo).port}/v1/traces`;
    t = await freshStore('sqlite');
  });
  afterAll(async () => {
    collector.close();
    await t.dispose();
  });

  it('exports a server span per request, named by its route, with the answer’s status', async () => {
    const tracing = await startTracing(endpoint);
    const services = testServices(t.store);
    await ensureBootstrapKey(services, { configuredKey: ADMIN_KEY, dataDir: '/nonexistent' });
    const app = await build({ services, webRoot: '/nonexistent', tracer: tracing.tracer });
    const headers = { authorization: `Bearer ${ADMIN_KEY}` };
    expect((await app.inject({ method: 'GET', url: '/v1/customers?limit=5', headers })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/v1/customers/nope', headers })).statusCode).toBe(404);
    await app.close();
    await tracing.shutdown(); // flushes
    const named = spans.filter((s) => s.name === 'GET /v1/customers/:id' || s.name === 'GET /v1/customers');
    expect(named.map((s) => s.name).sort()).toEqual(['GET /v1/customers', 'GET /v1/customers/:id']);
    const status = (s: ExportedSpan) =>
      Number(s.attributes.find((a) => a.key === 'http.response.status_code')?.value.intValue);
    expect(named.map(status).sort()).toEqual([200, 404]);
  });
});
