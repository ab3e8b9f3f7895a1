import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomers } from '../../src/app/customers/create-customers.js';
import { fetchFromProvider, refreshFromProvider } from '../../src/app/external-data/fetch-provider.js';
import { customerFetches, saveProvider } from '../../src/app/external-data/providers.js';
import { createInvoices } from '../../src/app/receivables/create-invoices.js';
import type { Services } from '../../src/app/services.js';
import {
  afterFetch,
  CLOSED,
  circuitOpen,
  mapPage,
  retryDelayMs,
} from '../../src/core/external-data/map-records.js';
import { parseProviderConfig } from '../../src/core/external-data/provider-config.js';
import { DIALECTS, freshStore, type TestStore, testServices } from '../support/stores.js';

const MAPPING = {
  records: 'data.items',
  sourceRef: 'id',
  occurredOn: 'date',
  summary: 'title',
  signalType: {
    field: 'category',
    values: { LAWSUIT: 'lawsuit_defendant', ENFORCED: 'enforcement', DISHONEST: 'dishonest_debtor' },
  },
  amount: { field: 'amount', minorPerUnit: 100 },
  currency: { fixed: 'CNY' },
};
const provider = (name: string, baseUrl: string, extra: object = {}) => ({
  name,
  baseUrl,
  path: '/companies/{registrationId}/events',
  requestsPerSecond: 50,
  timeoutMs: 300,
  retries: 2,
  circuitBreaker: { failures: 3, openSeconds: 60 },
  nextPagePath: 'next',
  mapping: MAPPING,
  ...extra,
});

describe('a provider document and its mapping', () => {
  it('names the field at fault', () => {
    const at = (doc: object) => {
      try {
        parseProviderConfig(doc);
        return null;
      } catch (error) {
        return (error as { field?: string }).field;
      }
    };
    expect(at(provider('p', 'ftp://x'))).toBe('baseUrl');
    expect(at({ ...provider('p', 'http://x'), path: '/companies' })).toBe('path');
    expect(
      at(
        provider('p', 'http://x', {
          mapping: { ...MAPPING, signalType: { field: 'c', values: { X: 'rumour' } } },
        }),
      ),
    ).toBe('mapping.signalType.values');
    expect(at(provider('p', 'http://x', { retries: 11 }))).toBe('retries');
    expect(at(provider('p', 'http://x'))).toBeNull();
  });

  it('maps records into signals, skipping with a reason what does not map', () => {
    const config = parseProviderConfig(provider('qcc', 'http://x'));
    const page = mapPage(
      config,
      {
        data: {
          items: [
            {
              id: 'A1',
              category: 'LAWSUIT',
              date: '2026-02-03T08:00:00Z',
              title: '买卖合同纠纷',
              amount: 12.34,
            },
            { id: 'A2', category: 'GOSSIP', date: '2026-02-03', title: 'x' },
            { id: 'A3', category: 'ENFORCED', date: 'yesterday', title: 'y' },
          ],
        },
        next: '/companies/X/events?page=2',
      },
      'cus_1',
    );
    expect(page.signals).toEqual([
      expect.objectContaining({
        source: 'qcc',
        sourceRef: 'A1',
        signalType: 'lawsuit_defendant',
        occurredOn: '2026-02-03',
        amountMinor: 1234,
        currency: 'CNY',
      }),
    ]);
    expect(page.skipped.map((s) => s.index)).toEqual([1, 2]);
    expect(page.skipped[0]?.reason).toMatch(/GOSSIP.*not mapped/);
    expect(page.next).toBe('/companies/X/events?page=2');
    expect(() => mapPage(config, { data: {} }, 'cus_1')).toThrow(/no array at "data.items"/);
  });

  it('waits as Retry-After says (seconds or a date), else backs off; opens the circuit after a run of failures', () => {
    expect(retryDelayMs(1, '2', 0)).toBe(2_000);
    expect(retryDelayMs(1, new Date(5_000).toUTCString(), 1_000)).toBe(4_000);
    expect([1, 2, 3].map((a) => retryDelayMs(a, null, 0))).toEqual([500, 1_000, 2_000]);
    const breaker = { failures: 2, openSeconds: 10 };
    const once = afterFetch(CLOSED, false, 0, breaker);
    expect(circuitOpen(once, 1)).toBe(false);
    const twice = afterFetch(once, false, 0, breaker);
    expect(circuitOpen(twice, 9_999)).toBe(true);
    expect(circuitOpen(twice, 10_000)).toBe(false);
    expect(afterFetch(twice, true, 1, breaker)).toEqual(CLOSED);
  });
});

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

describe.each(DIALECTS)('asking a provider over HTTP (%s)', (dialect) => {
  let t: TestStore;
  let services: Services;
  let server: Server;
  let base = '';
  const handlers = new Map<string, Handler>();
  const calls: { url: string; auth: string | undefined }[] = [];
  const customers: Record<string, string> = {};
  const json = (
    response: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ) => {
    response.writeHead(status, { 'content-type': 'application/json', ...headers });
    response.end(JSON.stringify(body));
  };
  const count = async (table: 'external_signals' | 'provider_records') =>
    Number(
      (
        await t.store.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const item = (id: string, category = 'LAWSUIT') => ({
    id,
    category,
    date: '2026-03-01',
    title: `case ${id}`,
    amount: 1000,
  });

  beforeAll(async () => {
    t = await freshStore(dialect);
    services = testServices(t.store);
    server = createServer((request, response) => {
      const reg = decodeURIComponent(request.url?.split('/')[2] ?? '');
      calls.push({ url: request.url ?? '', auth: request.headers['x-api-key'] as string | undefined });
      const handler = handlers.get(reg);
      if (handler) handler(request, response);
      else json(response, 404, { message: 'unknown company' });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const made = await createCustomers(
      services,
      'test',
      ['91350100M000100Y43', '91110000802100433B', null].map((registrationId, k) => ({
        externalId: `PV-${k}`,
        name: `Provider buyer ${k}`,
        country: 'CN',
        currency: 'CNY',
        segment: 'mid',
        registrationId,
      })),
    );
    for (const c of made) customers[c.externalId] = c.id;
  });
  afterAll(async () => {
    server.close();
    await t.dispose();
  });

  it('keeps every page raw and each fact once, following the pages; a fetch again adds nothing', async () => {
    await saveProvider(services, 'admin', provider('pages', base));
    handlers.set('91350100M000100Y43', (request, response) =>
      request.url?.includes('page=2')
        ? json(response, 200, { data: { items: [item('P3', 'DISHONEST')] } })
        : json(response, 200, { data: { items: [item('P1'), item('P2', 'GOSSIP')] }, next: '?page=2' }),
    );
    const first = await fetchFromProvider(services, 'pages', customers['PV-0'] as string);
    expect(first).toMatchObject({
      status: 'ok',
      pages: 2,
      records: 3,
      signalsNew: 2,
      skipped: 1,
      error: null,
    });
    expect(await count('provider_records')).toBe(2);
    const again = await fetchFromProvider(services, 'pages', customers['PV-0'] as string);
    expect(again).toMatchObject({ status: 'ok', signalsNew: 0 });
    expect(await count('provider_records')).toBe(2);
    expect(await count('external_signals')).toBe(2);
    // The dishonest-debtor listing raised its alert at once.
    const alerts = await t.store.db
      .selectFrom('alerts')
      .select('severity')
      .where('customer_id', '=', customers['PV-0'] as string)
      .execute();
    expect(alerts.map((a) => a.severity)).toContain('critical');
  });

  it('honours Retry-After on 429, and keeps nothing of a fetch whose second page fails', async () => {
    await saveProvider(services, 'admin', provider('busy', base));
    let tries = 0;
    handlers.set('91110000802100433B', (request, response) => {
      if (request.url?.includes('page=2')) return json(response, 503, { message: 'down' });
      tries++;
      if (tries === 1) return json(response, 429, { message: 'slow down' }, { 'retry-after': '1' });
      return json(response, 200, { data: { items: [item('B1')] }, next: '?page=2' });
    });
    const before = await Promise.all([count('external_signals'), count('provider_records')]);
    const started = Date.now();
    const outcome = await fetchFromProvider(services, 'busy', customers['PV-1'] as string);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
    expect(outcome).toMatchObject({ status: 'failed', pages: 1, error: { code: 'provider_unavailable' } });
    expect(outcome.error?.message).toMatch(/503 \(3 tries\)/);
    expect(await Promise.all([count('external_signals'), count('provider_records')])).toEqual(before);
  });

  it('fails clearly on a timeout, a body that is not JSON, a page without its records, and a missing credential', async () => {
    const customer = customers['PV-1'] as string;
    const outcomeOf = async (name: string, handler: Handler, extra: object = {}) => {
      await saveProvider(services, 'admin', provider(name, base, { retries: 0, ...extra }));
      handlers.set('91110000802100433B', handler);
      return fetchFromProvider(services, name, customer);
    };
    expect(
      (await outcomeOf('slow', (_q, r) => setTimeout(() => json(r, 200, { data: { items: [] } }), 1_000)))
        .error,
    ).toMatchObject({
      code: 'provider_unavailable',
      message: expect.stringMatching(/did not answer within 300 ms/),
    });
    expect((await outcomeOf('garbled', (_q, r) => r.end('<html>oops</html>'))).error?.code).toBe(
      'malformed_response',
    );
    expect((await outcomeOf('shapeless', (_q, r) => json(r, 200, { items: [] }))).error?.code).toBe(
      'malformed_response',
    );
    const keyed = { auth: { header: 'X-Api-Key', valueFromEnv: 'FULCRUM_TEST_PROVIDER_KEY' } };
    delete process.env.FULCRUM_TEST_PROVIDER_KEY;
    expect(
      (await outcomeOf('keyless', (_q, r) => json(r, 200, { data: { items: [] } }), keyed)).error?.code,
    ).toBe('provider_credentials_missing');
    process.env.FULCRUM_TEST_PROVIDER_KEY = 'k-123';
    expect((await outcomeOf('keyed', (_q, r) => json(r, 200, { data: { items: [] } }), keyed)).status).toBe(
      'ok',
    );
    expect(calls.at(-1)?.auth).toBe('k-123');
    const statuses = (await customerFetches(t.store.db, customer)).items.map((f) => [f.provider, f.status]);
    expect(statuses).toEqual(
      expect.arrayContaining([
        ['slow', 'failed'],
        ['garbled', 'failed'],
        ['keyed', 'ok'],
      ]),
    );
  });

  it('stops asking a provider that keeps failing until its circuit closes', async () => {
    await saveProvider(
      services,
      'admin',
      provider('flaky', base, { retries: 0, circuitBreaker: { failures: 2, openSeconds: 60 } }),
    );
    handlers.set('91110000802100433B', (_q, r) => json(r, 500, { message: 'boom' }));
    const customer = customers['PV-1'] as string;
    await fetchFromProvider(services, 'flaky', customer);
    await fetchFromProvider(services, 'flaky', customer);
    const asked = calls.length;
    const shut = await fetchFromProvider(services, 'flaky', customer);
    expect(shut).toMatchObject({ status: 'circuit_open', error: { code: 'circuit_open' } });
    expect(calls.length).toBe(asked);
  });

  it('refreshes only the customers due: with exposure, one it can ask about, not fetched within the window', async () => {
    await saveProvider(services, 'admin', provider('nightly', base));
    handlers.set('91350100M000100Y43', (_q, r) => json(r, 200, { data: { items: [item('N1')] } }));
    await createInvoices(services, 'test', [
      {
        externalId: 'PV-I1',
        customerExternalId: 'PV-0',
        invoiceNumber: 'PV-I1',
        issueDate: '2026-03-01',
        dueDate: '2026-03-31',
        amountMinor: 100_00,
        currency: 'CNY',
      },
      {
        externalId: 'PV-I2',
        customerExternalId: 'PV-2',
        invoiceNumber: 'PV-I2',
        issueDate: '2026-03-01',
        dueDate: '2026-03-31',
        amountMinor: 100_00,
        currency: 'CNY',
      },
    ]);
    // PV-0 has exposure; PV-1 none; PV-2 has exposure but no registration id to ask by.
    expect(await refreshFromProvider(services, 'nightly')).toMatchObject({ asked: 1, ok: 1, signalsNew: 1 });
    expect(await refreshFromProvider(services, 'nightly')).toMatchObject({ asked: 0 });
  });
});
