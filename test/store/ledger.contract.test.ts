import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomerGroup } from '../../src/app/customers/create-customer-group.js';
import { createCustomers } from '../../src/app/customers/create-customers.js';
import { updateCustomer } from '../../src/app/customers/update-customer.js';
import { createInvoices } from '../../src/app/receivables/create-invoices.js';
import { issueCreditNote } from '../../src/app/receivables/issue-credit-note.js';
import { recordPayments } from '../../src/app/receivables/record-payments.js';
import { BatchRejected } from '../../src/app/row-errors.js';
import type { Services } from '../../src/app/services.js';
import { DomainError } from '../../src/core/errors.js';
import { type CountedTable, countRows, expectLedgerBalances } from '../support/invariants.js';
import { DIALECTS, freshStore, type TestStore, testServices } from '../support/stores.js';

const customer = (externalId: string, extra: Record<string, unknown> = {}) => ({
  externalId,
  name: `Customer ${externalId}`,
  country: 'CN',
  currency: 'CNY',
  segment: 'mid',
  ...extra,
});

const invoice = (externalId: string, customerId: string, amountMinor: number, dueDate = '2026-02-28') => ({
  externalId,
  customerId,
  invoiceNumber: externalId,
  issueDate: '2026-01-15',
  dueDate,
  amountMinor,
  currency: 'CNY',
});

const count = (services: Services, table: CountedTable) => countRows(services.store, table);

describe.each(DIALECTS)('ledger store contract (%s)', (dialect) => {
  let t: TestStore;
  let services: Services;

  beforeAll(async () => {
    t = await freshStore(dialect);
    services = testServices(t.store);
  });
  afterAll(async () => t.dispose());

  it('writes customers with an audit event each, in one transaction', async () => {
    const before = await count(services, 'audit_events');
    const created = await createCustomers(services, 'tester', [
      customer('A1'),
      customer('A2', { groupExternalId: 'GRP-A' }),
    ]);
    expect(created.map((c) => c.externalId)).toEqual(['A1', 'A2']);
    expect(created[1]?.groupId).toMatch(/^grp_/);
    // two customers + the group created on the way
    expect((await count(services, 'audit_events')) - before).toBe(3);
    const events = await services.store.db
      .selectFrom('audit_events')
      .selectAll()
      .where('entity_id', '=', created[0]?.id ?? '')
      .execute();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actor: 'tester', action: 'customer.created', before_json: null });
    expect(JSON.parse(events[0]?.after_json ?? '{}')).toMatchObject({ externalId: 'A1', currency: 'CNY' });
  });

  it('is all-or-nothing: one bad row rejects the batch, reports every bad row, writes nothing', async () => {
    const customersBefore = await count(services, 'customers');
    const auditBefore = await count(services, 'audit_events');
    const attempt = createCustomers(services, 'tester', [
      customer('B1'),
      customer('B2', { currency: 'RMB' }),
      customer('B3'),
      customer('B4', { segment: 'huge' }),
    ]);
    await expect(attempt).rejects.toBeInstanceOf(BatchRejected);
    const error = (await attempt.catch((e: unknown) => e)) as BatchRejected;
    expect(error.errors.map((e) => [e.index, e.field, e.code])).toEqual([
      [1, 'currency', 'invalid_currency'],
      [3, 'segment', 'invalid_segment'],
    ]);
    expect(await count(services, 'customers')).toBe(customersBefore);
    expect(await count(services, 'audit_events')).toBe(auditBefore);
  });

  it('rejects a duplicate external id, within the batch and against the store', async () => {
    await expect(createCustomers(services, 't', [customer('A1')])).rejects.toMatchObject({
      errors: [expect.objectContaining({ code: 'duplicate_external_id', index: 0 })],
    });
    await expect(createCustomers(services, 't', [customer('D1'), customer('D1')])).rejects.toMatchObject({
      errors: [expect.objectContaining({ code: 'duplicate_external_id', index: 1 })],
    });
  });

  it('records a payment and allocates it explicitly or oldest-first, keeping the balances', async () => {
    const [c] = await createCustomers(services, 't', [customer('P1')]);
    const id = c?.id ?? '';
    const [older, newer] = await createInvoices(services, 't', [
      invoice('P1-I1', id, 100_000, '2026-02-14'),
      invoice('P1-I2', id, 50_000, '2026-03-15'),
    ]);
    const [explicit] = await recordPayments(services, 't', [
      {
        customerId: id,
        invoiceId: newer?.id ?? '',
        externalId: 'P1-PAY1',
        paidOn: '2026-02-01',
        amountMinor: 60_000,
        currency: 'CNY',
      },
    ]);
    expect(explicit?.allocations).toEqual([{ invoiceId: newer?.id, amountMinor: 50_000 }]);
    expect(explicit?.unappliedMinor).toBe(10_000);
    const [oldest] = await recordPayments(services, 't', [
      { customerId: id, externalId: 'P1-PAY2', paidOn: '2026-02-20', amountMinor: 30_000, currency: 'CNY' },
    ]);
    expect(oldest?.allocations).toEqual([{ invoiceId: older?.id, amountMinor: 30_000 }]);
    const stored = await services.store.db
      .selectFrom('invoices')
      .selectAll()
      .where('customer_id', '=', id)
      .orderBy('id')
      .execute();
    expect(stored.map((i) => [i.open_minor, i.settled_on])).toEqual([
      [70_000, null],
      [0, '2026-02-01'],
    ]);
    await expectLedgerBalances(services.store);
  });

  it('refuses a payment in another currency or for another customer’s invoice, writing nothing', async () => {
    const [c, other] = await createCustomers(services, 't', [customer('Q1'), customer('Q2')]);
    const [inv] = await createInvoices(services, 't', [invoice('Q1-I1', c?.id ?? '', 10_000)]);
    const paymentsBefore = await count(services, 'payments');
    const base = {
      externalId: 'Q-PAY',
      paidOn: '2026-02-01',
      amountMinor: 100,
      currency: 'CNY',
      invoiceId: inv?.id,
    };
    await expect(recordPayments(services, 't', [{ ...base, customerId: other?.id }])).rejects.toMatchObject({
      errors: [expect.objectContaining({ code: 'invoice_customer_mismatch', field: 'invoiceId' })],
    });
    await expect(
      recordPayments(services, 't', [{ ...base, customerId: c?.id, currency: 'USD' }]),
    ).rejects.toMatchObject({
      errors: [expect.objectContaining({ code: 'currency_mismatch' })],
    });
    await expect(
      recordPayments(services, 't', [{ ...base, customerId: c?.id, paidOn: '2026-01-01' }]),
    ).rejects.toMatchObject({
      errors: [expect.objectContaining({ code: 'before_invoice_issue', field: 'paidOn' })],
    });
    expect(await count(services, 'payments')).toBe(paymentsBefore);
  });

  it('credit notes and write-offs reduce the open amount and can never exceed it', async () => {
    const [c] = await createCustomers(services, 't', [customer('W1')]);
    const [inv] = await createInvoices(services, 't', [invoice('W1-I1', c?.id ?? '', 10_000)]);
    const id = inv?.id ?? '';
    await issueCreditNote(services, 't', {
      invoiceId: id,
      externalId: 'W1-CN1',
      issuedOn: '2026-01-20',
      amountMinor: 2_500,
      reason: 'price difference',
      kind: 'credit_note',
    });
    await expect(
      issueCreditNote(services, 't', {
        invoiceId: id,
        externalId: 'W1-WO1',
        issuedOn: '2026-03-01',
        amountMinor: 7_501,
        reason: 'insolvent',
        kind: 'write_off',
      }),
    ).rejects.toMatchObject({ code: 'exceeds_open_amount', field: 'amountMinor' });
    const wo = await issueCreditNote(services, 't', {
      invoiceId: id,
      externalId: 'W1-WO1',
      issuedOn: '2026-03-01',
      amountMinor: 7_500,
      reason: 'insolvent',
      kind: 'write_off',
    });
    expect(wo.kind).toBe('write_off');
    const row = await services.store.db
      .selectFrom('invoices')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect([row.amount_minor, row.open_minor, row.settled_on]).toEqual([10_000, 0, '2026-03-01']);
    const audit = await services.store.db
      .selectFrom('audit_events')
      .select('action')
      .where('entity_id', '=', id)
      .orderBy('seq')
      .execute();
    expect(audit.map((a) => a.action)).toEqual([
      'invoice.created',
      'invoice.credit_note_applied',
      'invoice.write_off_applied',
    ]);
  });

  it('audits a customer change with before and after; refuses an unknown group', async () => {
    const [c] = await createCustomers(services, 't', [customer('U1')]);
    const group = await createCustomerGroup(services, 't', { externalId: 'GRP-U', name: 'U Holdings' });
    const updated = await updateCustomer(services, 'editor', c?.id ?? '', {
      segment: 'large',
      groupId: group.id,
    });
    expect(updated).toMatchObject({ segment: 'large', groupId: group.id });
    const [event] = await services.store.db
      .selectFrom('audit_events')
      .selectAll()
      .where('entity_id', '=', c?.id ?? '')
      .where('action', '=', 'customer.updated')
      .execute();
    expect(JSON.parse(event?.before_json ?? '{}').segment).toBe('mid');
    expect(JSON.parse(event?.after_json ?? '{}').segment).toBe('large');
    await expect(updateCustomer(services, 't', c?.id ?? '', { groupId: 'grp_nope' })).rejects.toBeInstanceOf(
      DomainError,
    );
  });

  it('keeps every balance under random interleavings of invoices, payments and credit notes', async () => {
    const [c] = await createCustomers(services, 't', [customer('R1')]);
    const customerId = c?.id ?? '';
    let n = 0;
    const op = fc.oneof(
      fc.record({
        kind: fc.constant('invoice' as const),
        amount: fc.integer({ min: 1, max: 1_000_000 }),
        due: fc.integer({ min: 0, max: 90 }),
      }),
      fc.record({
        kind: fc.constant('payment' as const),
        amount: fc.integer({ min: 1, max: 1_500_000 }),
        named: fc.boolean(),
      }),
      fc.record({
        kind: fc.constant('credit' as const),
        share: fc.double({ min: 0.01, max: 1.2, noNaN: true }),
      }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 12 }), async (ops) => {
        for (const o of ops) {
          n += 1;
          const open = await services.store.db
            .selectFrom('invoices')
            .selectAll()
            .where('customer_id', '=', customerId)
            .where('open_minor', '>', 0)
            .orderBy('id')
            .execute();
          if (o.kind === 'invoice') {
            const due = new Date(Date.UTC(2026, 1, 1 + o.due)).toISOString().slice(0, 10);
            await createInvoices(services, 't', [invoice(`R-I${n}`, customerId, o.amount, due)]);
          } else if (o.kind === 'payment') {
            const target = o.named ? open[0]?.id : undefined;
            await recordPayments(services, 't', [
              {
                customerId,
                externalId: `R-P${n}`,
                paidOn: '2026-03-01',
                amountMinor: o.amount,
                currency: 'CNY',
                ...(target ? { invoiceId: target } : {}),
              },
            ]);
          } else if (open[0]) {
            const amountMinor = Math.max(1, Math.round(open[0].open_minor * o.share));
            const attempt = issueCreditNote(services, 't', {
              invoiceId: open[0].id,
              externalId: `R-C${n}`,
              issuedOn: '2026-03-01',
              amountMinor,
              reason: 'test',
              kind: 'credit_note',
            });
            if (amountMinor > open[0].open_minor)
              await expect(attempt).rejects.toMatchObject({ code: 'exceeds_open_amount' });
            else await attempt;
          }
        }
        await expectLedgerBalances(services.store);
      }),
      { numRuns: 15 },
    );
  });

  it('serialises concurrent payments on one customer: no invoice is over-settled', async () => {
    const [c] = await createCustomers(services, 't', [customer('K1')]);
    const customerId = c?.id ?? '';
    await createInvoices(services, 't', [
      invoice('K1-I1', customerId, 100_000),
      invoice('K1-I2', customerId, 100_000),
    ]);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        recordPayments(services, 't', [
          { customerId, externalId: `K1-P${i}`, paidOn: '2026-03-01', amountMinor: 15_000, currency: 'CNY' },
        ]),
      ),
    );
    const applied = results.flat().reduce((s, p) => s + (p.amountMinor - p.unappliedMinor), 0);
    expect(applied).toBe(200_000);
    await expectLedgerBalances(services.store);
  });
});
