import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApi, testApi } from '../support/api.js';
import { DIALECTS } from '../support/stores.js';

describe.each(DIALECTS)('data providers over HTTP (%s)', (dialect) => {
  let api: TestApi;
  let server: Server;
  let base = '';
  beforeAll(async () => {
    api = await testApi(dialect);
    server = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({ items: [{ ref: 'T1', kind: 'penalty', day: '2026-03-02', text: '行政处罚' }] }),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.close();
    await api.dispose();
  });

  const document = () => ({
    baseUrl: base,
    path: '/firms/{externalId}',
    mapping: {
      records: 'items',
      sourceRef: 'ref',
      occurredOn: 'day',
      summary: 'text',
      signalType: { field: 'kind', values: { penalty: 'administrative_penalty' } },
    },
  });

  it('configures a provider, naming the field at fault, and asks it about a customer', async () => {
    const bad = await api.call({
      method: 'PUT',
      url: '/v1/data-providers/tyc',
      payload: {
        ...document(),
        mapping: { ...document().mapping, signalType: { field: 'kind', values: { penalty: 'fine' } } },
      },
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().error).toMatchObject({ code: 'invalid_provider', field: 'mapping.signalType.values' });
    const extra = await api.call({
      method: 'PUT',
      url: '/v1/data-providers/tyc',
      payload: { ...document(), token: 's3cret' },
    });
    expect(extra.statusCode).toBe(400);
    const saved = await api.call({ method: 'PUT', url: '/v1/data-providers/tyc', payload: document() });
    expect(saved.statusCode).toBe(200);
    expect(saved.json()).toMatchObject({ name: 'tyc', retries: 3, refetchAfterDays: 7 });
    expect((await api.call({ method: 'GET', url: '/v1/data-providers' })).json().items).toHaveLength(1);

    const customer = (
      await api.call({
        method: 'POST',
        url: '/v1/customers',
        payload: {
          externalId: 'DP-1',
          name: 'Provider Test Co',
          country: 'CN',
          currency: 'CNY',
          segment: 'small',
        },
      })
    ).json().id;
    const fetched = await api.call({
      method: 'POST',
      url: '/v1/data-providers/tyc/fetch',
      payload: { customerId: customer },
    });
    expect(fetched.json()).toMatchObject({ status: 'ok', records: 1, signalsNew: 1 });
    const status = (await api.call({ method: 'GET', url: `/v1/customers/${customer}/data-fetches` })).json();
    expect(status.items[0]).toMatchObject({ provider: 'tyc', status: 'ok', signalsNew: 1 });
    const signals = (await api.call({ method: 'GET', url: `/v1/customers/${customer}/signals` })).json();
    expect(signals.items[0]).toMatchObject({ source: 'tyc', signalType: 'administrative_penalty' });
    const unknown = await api.call({
      method: 'POST',
      url: '/v1/data-providers/nope/fetch',
      payload: { customerId: customer },
    });
    expect(unknown.statusCode).toBe(404);
  });
});
