import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApi, testApi } from '../support/api.js';
import { expectLedgerBalances } from '../support/invariants.js';
import { DIALECTS } from '../support/stores.js';

const newCustomer = (externalId: string) => ({
  externalId,
  name: `Shanghai ${externalId} Trading Co., Ltd.`,
  country: 'CN',
  currency: 'CNY',
  segment: 'small',
});

describe.each(DIALECTS)('ledger API (%s)', (dialect) => {
  let api: TestApi;
  beforeAll(async () => {
    api = await testApi(dialect);
  });
  afterAll(async () => api.dispose());

  it('creates a customer, an invoice and a payment, and shows how the invoice was settled', async () => {
    const customer = await api.call({ method: 'POST', url: '/v1/customers', payload: newCustomer('FLOW-1') });
    expect(customer.statusCode).toBe(201);
    const customerId = customer.json().id;
    const invoice = await api.call({
      method: 'POST',
      url: '/v1/invoices',
      payload: {
        customerId,
        externalId: 'FLOW-1-I1',
        invoiceNumber: 'INV-001',
        issueDate: '2026-01-05',
        dueDate: '2026-02-04',
        amountMinor: 1_000_00,
        currency: 'CNY',
      },
    });
    expect(invoice.statusCode).toBe(201);
    expect(invoice.json()).toMatchObject({ openMinor: 1_000_00, settledOn: null });
    const payment = await api.call({
      method: 'POST',
      url: '/v1/payments',
      payload: {
        customerId,
        externalId: 'FLOW-1-P1',
        paidOn: '2026-02-01',
        amountMinor: 400_00,
        currency: 'CNY',
      },
    });
    expect(payment.statusCode).toBe(201);
    expect(payment.json().allocations).toEqual([{ invoiceId: invoice.json().id, amountMinor: 400_00 }]);
    const credit = await api.call({
      method: 'POST',
      url: '/v1/credit-notes',
      payload: {
        invoiceId: invoice.json().id,
        externalId: 'FLOW-1-CN',
        issuedOn: '2026-02-02',
        amountMinor: 100_00,
        reason: 'short delivery',
      },
    });
    expect(credit.statusCode).toBe(201);
    const detail = (await api.call({ method: 'GET', url: `/v1/invoices/${invoice.json().id}` })).json();
    expect(detail.openMinor).toBe(500_00);
    expect(detail.allocations).toHaveLength(1);
    expect(detail.creditNotes).toHaveLength(1);
    const tooMuch = await api.call({
      method: 'POST',
      url: '/v1/write-off-requests',
      payload: {
        invoiceId: invoice.json().id,
        externalId: 'FLOW-1-WO',
        issuedOn: '2026-06-01',
        amountMinor: 500_01,
        reason: 'insolvent',
      },
    });
    expect(tooMuch.statusCode).toBe(422);
    expect(tooMuch.json().error).toMatchObject({ code: 'exceeds_open_amount', field: 'amountMinor' });
    await expectLedgerBalances(api.services.store);
  });

  it.each([
    ['a missing field', { ...newCustomer('V1'), name: undefined }, 'name'],
    ['a wrong type', { ...newCustomer('V2'), segment: 7 }, 'segment'],
    ['a bad enum', { ...newCustomer('V3'), segment: 'giant' }, 'segment'],
    ['a malformed currency', { ...newCustomer('V4'), currency: 'yuan' }, 'currency'],
    ['an unknown currency', { ...newCustomer('V5'), currency: 'ABC' }, 'currency'],
    ['an unknown country', { ...newCustomer('V6'), country: 'XX' }, 'country'],
    ['a field the client may not set', { ...newCustomer('V7'), createdAt: '2020-01-01' }, 'createdAt'],
    ['a field the client may not set', { ...newCustomer('V8'), id: 'cus_mine' }, 'id'],
  ])('rejects a customer with %s, naming the field, writing nothing', async (_what, payload, field) => {
    const response = await api.call({ method: 'POST', url: '/v1/customers', payload });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.field).toBe(field);
    expect(response.json().error.code).toMatch(/^[a-z_]+$/);
    const list = (await api.call({ method: 'GET', url: '/v1/customers?limit=500' })).json();
    expect(list.items.map((c: { externalId: string }) => c.externalId)).not.toContain(payload.externalId);
  });

  it('takes amounts only as JSON integers: a string or a fraction is a 400', async () => {
    const customerId = (
      await api.call({ method: 'POST', url: '/v1/customers', payload: newCustomer('AMT') })
    ).json().id;
    for (const amountMinor of ['1000', 10.5, -1, 0]) {
      const response = await api.call({
        method: 'POST',
        url: '/v1/payments',
        payload: {
          customerId,
          externalId: `AMT-${amountMinor}`,
          paidOn: '2026-02-01',
          amountMinor,
          currency: 'CNY',
        },
      });
      expect(response.statusCode, String(amountMinor)).toBe(400);
      expect(response.json().error.field).toBe('amountMinor');
    }
  });

  it('rejects impossible dates and a due date before the issue date', async () => {
    const customerId = (
      await api.call({ method: 'POST', url: '/v1/customers', payload: newCustomer('DATES') })
    ).json().id;
    const base = { customerId, externalId: 'D-1', invoiceNumber: 'D-1', amountMinor: 100, currency: 'CNY' };
    const impossible = await api.call({
      method: 'POST',
      url: '/v1/invoices',
      payload: { ...base, issueDate: '2026-02-30', dueDate: '2026-03-30' },
    });
    expect(impossible.statusCode).toBe(400);
    expect(impossible.json().error.field).toBe('issueDate');
    const backwards = await api.call({
      method: 'POST',
      url: '/v1/invoices',
      payload: { ...base, issueDate: '2026-03-01', dueDate: '2026-02-01' },
    });
    expect(backwards.statusCode).toBe(422);
    expect(backwards.json().error).toMatchObject({ code: 'due_before_issue', field: 'dueDate' });
  });

  it('answers a malformed JSON body and an unknown id with the error shape, never a 500', async () => {
    const bad = await api.call({
      method: 'POST',
      url: '/v1/customers',
      payload: '{"externalId":',
      headers: { 'content-type': 'application/json' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('invalid_json');
    const missing = await api.call({ method: 'GET', url: '/v1/customers/cus_missing' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('customer_not_found');
    const unknownCustomer = await api.call({
      method: 'POST',
      url: '/v1/invoices',
      payload: {
        customerId: 'cus_missing',
        externalId: 'X',
        invoiceNumber: 'X',
        issueDate: '2026-01-01',
        dueDate: '2026-01-31',
        amountMinor: 1,
        currency: 'CNY',
      },
    });
    expect(unknownCustomer.statusCode).toBe(422);
    expect(unknownCustomer.json().error).toMatchObject({ code: 'unknown_customer', field: 'customerId' });
    const duplicate = await api.call({
      method: 'POST',
      url: '/v1/customers',
      payload: newCustomer('FLOW-1'),
    });
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json().error.code).toBe('duplicate_external_id');
  });

  it('pages through every customer exactly once with the cursor, and caps the page size', async () => {
    for (let i = 0; i < 7; i++)
      await api.call({ method: 'POST', url: '/v1/customers', payload: newCustomer(`PAGE-${i}`) });
    const all = (await api.call({ method: 'GET', url: '/v1/customers?limit=500' })).json().items;
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < 100; pages++) {
      const url: string = `/v1/customers?limit=3${cursor ? `&cursor=${cursor}` : ''}`;
      const page = (await api.call({ method: 'GET', url })).json();
      expect(page.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.items.map((c: { id: string }) => c.id));
      cursor = page.nextCursor;
      if (!cursor) break;
    }
    expect(seen).toEqual(all.map((c: { id: string }) => c.id));
    expect(new Set(seen).size).toBe(seen.length);
    const tooBig = await api.call({ method: 'GET', url: '/v1/customers?limit=501' });
    expect(tooBig.statusCode).toBe(400);
    expect(tooBig.json().error.field).toBe('limit');
    const badCursor = await api.call({ method: 'GET', url: '/v1/customers?cursor=garbage' });
    expect(badCursor.statusCode).toBe(400);
    expect(badCursor.json().error.code).toBe('invalid_cursor');
  });

  it('replays a write with the same Idempotency-Key and refuses the key with another body', async () => {
    const send = (payload: object) =>
      api.call({ method: 'POST', url: '/v1/customers', payload, headers: { 'idempotency-key': 'idem-1' } });
    const first = await send(newCustomer('IDEM-1'));
    const again = await send(newCustomer('IDEM-1'));
    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(201);
    expect(again.json()).toEqual(first.json());
    expect(again.headers['idempotent-replayed']).toBe('true');
    const count = (await api.call({ method: 'GET', url: '/v1/customers?limit=500' }))
      .json()
      .items.filter((c: { externalId: string }) => c.externalId === 'IDEM-1').length;
    expect(count).toBe(1);
    const other = await send(newCustomer('IDEM-2'));
    expect(other.statusCode).toBe(422);
    expect(other.json().error.code).toBe('idempotency_key_reused');
  });

  it('replays a rejected write too: the first answer stands', async () => {
    const send = () =>
      api.call({
        method: 'POST',
        url: '/v1/customers',
        payload: { ...newCustomer('FLOW-1') },
        headers: { 'idempotency-key': 'idem-dup' },
      });
    const first = await send();
    expect(first.statusCode).toBe(409);
    expect((await send()).json()).toEqual(first.json());
  });

  it('changes a customer with PATCH, refusing the fixed fields', async () => {
    const id = (
      await api.call({ method: 'POST', url: '/v1/customers', payload: newCustomer('PATCH-1') })
    ).json().id;
    const changed = await api.call({
      method: 'PATCH',
      url: `/v1/customers/${id}`,
      payload: { salesOwner: 'li.wei', segment: 'large' },
    });
    expect(changed.statusCode).toBe(200);
    expect(changed.json()).toMatchObject({ salesOwner: 'li.wei', segment: 'large' });
    const currency = await api.call({
      method: 'PATCH',
      url: `/v1/customers/${id}`,
      payload: { currency: 'USD' },
    });
    expect(currency.statusCode).toBe(400);
    expect(currency.json().error.field).toBe('currency');
    const empty = await api.call({ method: 'PATCH', url: `/v1/customers/${id}`, payload: {} });
    expect(empty.statusCode).toBe(400);
  });

  it('lists groups with their members, and filters invoices by status', async () => {
    const group = await api.call({
      method: 'POST',
      url: '/v1/customer-groups',
      payload: { externalId: 'GRP-1', name: '宏达集团' },
    });
    expect(group.statusCode).toBe(201);
    const member = await api.call({
      method: 'POST',
      url: '/v1/customers',
      payload: { ...newCustomer('MEMBER-1'), groupId: group.json().id },
    });
    expect(member.statusCode).toBe(201);
    const detail = (await api.call({ method: 'GET', url: `/v1/customer-groups/${group.json().id}` })).json();
    expect(detail.memberIds).toEqual([member.json().id]);
    const open = (await api.call({ method: 'GET', url: '/v1/invoices?status=open' })).json().items;
    expect(open.every((i: { openMinor: number }) => i.openMinor > 0)).toBe(true);
    expect(open.length).toBeGreaterThan(0);
  });
});
