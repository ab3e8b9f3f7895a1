import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomers } from '../../src/app/customers/create-customers.js';
import { createInvoices } from '../../src/app/receivables/create-invoices.js';
import { issueCreditNote } from '../../src/app/receivables/issue-credit-note.js';
import { ledgerColumns } from '../../src/app/receivables/ledger-read-model.js';
import { bookAging, monthlyDso } from '../../src/app/receivables/receivables-report.js';
import { recordPayments } from '../../src/app/receivables/record-payments.js';
import type { Services } from '../../src/app/services.js';
import { addDays, type BusinessDate } from '../../src/core/time/business-date.js';
import { freshStore, type TestStore, testServices } from '../support/stores.js';

const TODAY = '2026-11-30' as BusinessDate;
const FIRST = '2025-06-01' as BusinessDate;
const CURRENCIES = ['CNY', 'USD'] as const;

/** An invoice, then its settlements in date order (a payment or a credit note each), as shares of what is open. */
const invoiceArbitrary = fc.record({
  customer: fc.nat(3),
  currency: fc.constantFrom(...CURRENCIES),
  issuedAfter: fc.nat(500),
  terms: fc.constantFrom(0, 30, 60, 90),
  amountMinor: fc.integer({ min: 1, max: 10_000_000 }),
  settlements: fc.array(
    fc.record({
      after: fc.nat(120),
      share: fc.double({ min: 0.05, max: 1, noNaN: true }),
      note: fc.boolean(),
    }),
    { maxLength: 3 },
  ),
});

type NewInvoice = typeof invoiceArbitrary extends fc.Arbitrary<infer T> ? T : never;

describe('the receivables ledger read as columns (SQLite)', () => {
  let t: TestStore;
  let services: Services;
  let customers: string[];
  let serial = 0;

  beforeAll(async () => {
    t = await freshStore('sqlite');
    services = testServices(t.store, TODAY);
    await services.store.db
      .insertInto('fx_rates')
      .values({
        base: 'USD',
        quote: 'CNY',
        rate: 7.1,
        as_of: '2025-01-01',
        created_at: '2025-01-01T00:00:00Z',
      })
      .execute();
    customers = (
      await createCustomers(
        services,
        'test',
        [0, 1, 2, 3].map((k) => ({
          externalId: `LC-${k}`,
          name: `Ledger ${k}`,
          country: 'CN',
          currency: 'CNY',
          segment: 'mid' as const,
          groupExternalId: k < 2 ? 'G-1' : null,
        })),
      )
    ).map((c) => c.id);
  }, 60_000);
  afterAll(async () => t.dispose());

  const append = async (invoice: NewInvoice) => {
    const issueDate = addDays(FIRST, invoice.issuedAfter);
    const customerId = customers[invoice.customer] as string;
    const [created] = await createInvoices(services, 'test', [
      {
        customerId,
        externalId: `LI-${++serial}`,
        invoiceNumber: `LI-${serial}`,
        issueDate,
        dueDate: addDays(issueDate, invoice.terms),
        amountMinor: invoice.amountMinor,
        currency: invoice.currency,
      },
    ]);
    let open = invoice.amountMinor;
    let on = issueDate;
    for (const s of invoice.settlements) {
      on = addDays(on, s.after);
      const amountMinor = Math.max(1, Math.min(open, Math.round(open * s.share)));
      if (open === 0 || on > TODAY) break;
      open -= amountMinor;
      const id = `LS-${++serial}`;
      if (s.note)
        await issueCreditNote(services, 'test', {
          invoiceId: created?.id as string,
          externalId: id,
          issuedOn: on,
          amountMinor,
          reason: 'test',
          kind: 'credit_note',
        });
      else
        await recordPayments(services, 'test', [
          {
            customerId,
            externalId: id,
            paidOn: on,
            amountMinor,
            currency: invoice.currency,
            invoiceId: created?.id,
          },
        ]);
    }
  };

  /** The same report from the store's own SQL: Fulcrum reads the columns only outside a transaction. */
  const fromStore = <T>(run: (executor: typeof t.store.db) => Promise<T>) =>
    t.store.db.transaction().execute((trx) => run(trx as unknown as typeof t.store.db));

  it('answers aging as of any date, in total and by customer and group, and DSO, as the store does — while the book grows', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(invoiceArbitrary, { minLength: 1, maxLength: 6 }),
        fc.array(fc.nat(600), { minLength: 1, maxLength: 3 }),
        async (invoices, asOfDays) => {
          for (const invoice of invoices) await append(invoice);
          for (const after of asOfDays) {
            const asOf = addDays(FIRST, after);
            for (const by of [undefined, 'customer', 'group'] as const) {
              expect(await bookAging(t.store.db, asOf, undefined, by)).toEqual(
                await fromStore((db) => bookAging(db, asOf, undefined, by)),
              );
            }
            expect(await bookAging(t.store.db, asOf, 'USD')).toEqual(
              await fromStore((db) => bookAging(db, asOf, 'USD')),
            );
          }
          const dso = { from: '2026-01', to: '2026-11', method: 'countback' as const };
          expect(await monthlyDso(t.store.db, dso)).toEqual(await fromStore((db) => monthlyDso(db, dso)));
        },
      ),
      { numRuns: 25 },
    );
    const columns = await ledgerColumns(t.store.db);
    const invoices = await t.store.db
      .selectFrom('invoices')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(columns?.invoiceCount).toBe(Number(invoices.n));
  }, 240_000);

  it('reads the ledger whole again when a row was edited or deleted behind its back', async () => {
    // A current invoice, then its due date moved back by hand: 4,321.00 now over 90 days.
    await append({
      customer: 0,
      currency: 'CNY',
      issuedAfter: 540,
      terms: 30,
      amountMinor: 432_100,
      settlements: [],
    });
    const before = await bookAging(t.store.db, TODAY);
    const moved = `LI-${serial}`;
    await sql`update invoices set due_date = '2020-01-01' where external_id = ${moved}`.execute(t.store.db);
    const after = await bookAging(t.store.db, TODAY);
    expect(after).toEqual(await fromStore((db) => bookAging(db, TODAY)));
    expect(after.buckets.over90Minor - before.buckets.over90Minor).toBe(432_100);
    expect(before.buckets.currentMinor - after.buckets.currentMinor).toBe(432_100);
    await sql`delete from invoices where external_id = ${moved}`.execute(t.store.db);
    const deleted = await bookAging(t.store.db, TODAY);
    expect(deleted).toEqual(await fromStore((db) => bookAging(db, TODAY)));
    expect(deleted.buckets).toEqual({
      ...before.buckets,
      currentMinor: before.buckets.currentMinor - 432_100,
    });
  });

  it('is not used inside a transaction or on PostgreSQL', async () => {
    await t.store.db.transaction().execute(async (trx) => expect(await ledgerColumns(trx)).toBeNull());
  });
});
