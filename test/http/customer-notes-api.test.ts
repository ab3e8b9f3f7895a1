import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApi, testApi } from '../support/api.js';
import { DIALECTS } from '../support/stores.js';

describe.each(DIALECTS)("notes on a customer's account (%s)", (dialect) => {
  let api: TestApi;
  let customerId = '';
  const post = (url: string, payload: object) => api.call({ method: 'POST', url, payload });

  beforeAll(async () => {
    api = await testApi(dialect);
    customerId = (
      await post('/v1/customers', {
        externalId: 'NOTE-1',
        name: 'Noted Ltd',
        country: 'CN',
        currency: 'CNY',
        segment: 'small',
      })
    ).json().id;
  });
  afterAll(async () => api.dispose());

  it('keeps notes as written, newest first, a page at a time, each audited', async () => {
    const written: string[] = [];
    for (const body of [
      'Met the CFO: Q2 cash is tight.',
      'Promised statements by Friday.',
      '说好周五前付款',
    ]) {
      const made = await post(`/v1/customers/${customerId}/notes`, { body });
      expect(made.statusCode, made.body).toBe(201);
      expect(made.json()).toMatchObject({ customerId, body, createdBy: expect.any(String) });
      written.push(made.json().id);
      api.services.clock.now = (
        (t) => () =>
          t
      )(new Date(api.services.clock.now().getTime() + 60_000));
    }
    const first = (
      await api.call({ method: 'GET', url: `/v1/customers/${customerId}/notes?limit=2` })
    ).json();
    expect(first.items.map((n: { id: string }) => n.id)).toEqual([written[2], written[1]]);
    expect(first.nextCursor).toEqual(expect.any(String));
    const rest = (
      await api.call({
        method: 'GET',
        url: `/v1/customers/${customerId}/notes?limit=2&cursor=${encodeURIComponent(first.nextCursor)}`,
      })
    ).json();
    expect(rest.items.map((n: { id: string }) => n.id)).toEqual([written[0]]);
    expect(rest.nextCursor).toBeNull();
    const audit = (await api.call({ method: 'GET', url: `/v1/audit-events?entityId=${customerId}` })).json();
    expect(audit.items.filter((e: { action: string }) => e.action === 'customer.note_added')).toHaveLength(3);
    // Who, by name; a page at a time, newest first.
    expect(audit.items[0]).toMatchObject({
      action: 'customer.note_added',
      actorName: first.items[0].createdByName,
    });
    const pages: number[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: { seq: number }[]; nextCursor: string | null } = (
        await api.call({
          method: 'GET',
          url: `/v1/audit-events?entityId=${customerId}&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        })
      ).json();
      pages.push(...page.items.map((e: { seq: number }) => e.seq));
      cursor = page.nextCursor;
    } while (cursor);
    expect(pages).toEqual(audit.items.map((e: { seq: number }) => e.seq));
  });

  it('refuses an empty or blank note by field, and a note on no customer', async () => {
    for (const body of ['', '   ']) {
      const refused = await post(`/v1/customers/${customerId}/notes`, { body });
      expect(refused.statusCode).toBe(400);
      expect(refused.json().error.field).toBe('body');
    }
    const nobody = await post('/v1/customers/cus_nope/notes', { body: 'hello' });
    expect(nobody.statusCode).toBe(404);
    expect(nobody.json().error.code).toBe('customer_not_found');
    const list = await api.call({ method: 'GET', url: '/v1/customers/cus_nope/notes' });
    expect(list.statusCode).toBe(404);
  });
});
