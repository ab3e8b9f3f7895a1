import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoBook } from '../../src/demo/seed.js';
import { type TestApi, testApi } from '../support/api.js';
import { DIALECTS } from '../support/stores.js';

describe.each(DIALECTS)('the watchlist (%s)', (dialect) => {
  let api: TestApi;
  let ids: string[] = [];
  beforeAll(async () => {
    api = await testApi(dialect);
    await seedDemoBook(api.services, { customers: 30, months: 12 });
    ids = (
      await api.services.store.db.selectFrom('customers').select('id').orderBy('id').limit(2).execute()
    ).map((r) => r.id);
  });
  afterAll(async () => api.dispose());

  it('keeps customers in view with why, the gravest live alert first, and takes them off again; audited', async () => {
    const [first, second] = ids as [string, string];
    const put = (id: string, reason: string) =>
      api.call({ method: 'PUT', url: `/v1/watchlist/${id}`, payload: { reason } });
    expect((await put(first, 'new management, watch the next two payments')).statusCode).toBe(200);
    expect((await put(second, 'lost its largest customer')).statusCode).toBe(200);
    expect((await put(second, 'lost its largest customer (press, 2026-03-20)')).json().reason).toMatch(
      /press/,
    );
    await api.services.store.db
      .insertInto('alerts')
      .values({
        id: 'alr_watch',
        customer_id: first,
        rule_id: 'overdue_90',
        rule_version: 1,
        severity: 'critical',
        owner_role: 'credit_manager',
        action: 'stop_supply',
        facts_json: '{}',
        currency: 'CNY',
        raised_on: '2026-03-30',
        due_on: '2026-04-01',
        state: 'open',
        state_reason: null,
        ended_on: null,
        updated_by: 'test',
        updated_at: '2026-03-30T00:00:00.000Z',
      })
      .execute();
    const listed = (await api.call({ method: 'GET', url: '/v1/watchlist' })).json().items;
    expect(listed.map((w: { customerId: string }) => w.customerId)).toEqual([first, second]);
    expect(listed[0]).toMatchObject({ worstAlert: 'critical', customerName: expect.any(String) });
    expect((await api.call({ method: 'DELETE', url: `/v1/watchlist/${second}` })).statusCode).toBe(204);
    expect((await api.call({ method: 'DELETE', url: `/v1/watchlist/${second}` })).statusCode).toBe(404);
    const empty = await put(first, '');
    expect(empty.statusCode).toBe(400);
    const audit = await api.services.store.db
      .selectFrom('audit_events')
      .select('action')
      .where('action', 'like', 'watchlist.%')
      .execute();
    expect(audit.map((a) => a.action).sort()).toEqual([
      'watchlist.added',
      'watchlist.added',
      'watchlist.added',
      'watchlist.removed',
    ]);
  });
});
