import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomers } from '../../src/app/customers/create-customers.js';
import { computeProvision } from '../../src/app/provisions/provision-run.js';
import { createInvoices } from '../../src/app/receivables/create-invoices.js';
import { recordPayments } from '../../src/app/receivables/record-payments.js';
import type { Services } from '../../src/app/services.js';
import { addDays, addMonths, type BusinessDate, monthEnd } from '../../src/core/time/business-date.js';
import { DIALECTS, freshStore, type TestStore, testServices } from '../support/stores.js';

const TODAY = '2026-11-30';
/** Last month's run, made now: payments keep coming in, dated after it. */
const AS_OF = '2026-10-31';

describe.each(DIALECTS)('month-end totals kept for the provision matrix (%s)', (dialect) => {
  let t: TestStore;
  let services: Services;
  let customerId: string;
  let serial = 0;

  const invoice = async (issueDate: BusinessDate, amountMinor: number) => {
    const [created] = await createInvoices(services, 'test', [
      {
        customerId,
        externalId: `MT-${++serial}`,
        invoiceNumber: `MT-${serial}`,
        issueDate,
        dueDate: addDays(issueDate, 30),
        amountMinor,
        currency: 'CNY',
      },
    ]);
    return created?.id as string;
  };
  const pay = (invoiceId: string, paidOn: string, amountMinor: number) =>
    recordPayments(services, 'test', [
      { customerId, externalId: `MTP-${++serial}`, paidOn, amountMinor, currency: 'CNY', invoiceId },
    ]);
  const changes = async () =>
    Number(
      (
        await t.store.db
          .selectFrom('ledger_month_changes')
          .select((eb) => eb.fn.sum<number>('changes').as('n'))
          .executeTakeFirst()
      )?.n ?? 0,
    );

  beforeAll(async () => {
    t = await freshStore(dialect);
    services = testServices(t.store, TODAY);
    [customerId] = (
      await createCustomers(services, 'test', [
        { externalId: 'MTC', name: 'Month-end', country: 'CN', currency: 'CNY', segment: 'mid' as const },
      ])
    ).map((c) => c.id) as [string];
    // 26 months: each month's invoice paid 50 days late, one in three only half (the rest lost).
    for (let k = 26; k >= 1; k--) {
      const issued = addDays(monthEnd(addMonths(TODAY as BusinessDate, -k)), -5);
      const id = await invoice(issued, 100_000);
      const paidOn = addDays(issued, 80);
      if (paidOn <= TODAY) await pay(id, paidOn, k % 3 === 0 ? 50_000 : 100_000);
    }
  }, 120_000);
  afterAll(async () => t.dispose());

  it('counts every insert, delete and edit of the ledger by the month of its business date, whatever the client', async () => {
    const before = await changes();
    const id = await invoice('2025-03-10' as BusinessDate, 1_000);
    expect(await changes()).toBe(before + 1);
    const month = async (m: string) =>
      Number(
        (
          await t.store.db
            .selectFrom('ledger_month_changes')
            .select((eb) => eb.fn.sum<number>('changes').as('n'))
            .where('month', '=', m)
            .executeTakeFirst()
        )?.n ?? 0,
      );
    const march = await month('2025-03');
    // Hand-written SQL is counted too: an edit moving the invoice to April counts in both months.
    await sql`update invoices set issue_date = '2025-04-02' where id = ${id}`.execute(t.store.db);
    expect(await month('2025-03')).toBe(march + 1);
    await sql`delete from invoices where id = ${id}`.execute(t.store.db);
    expect(await changes()).toBe(before + 4);
    // Settling an invoice (open amount, settled date) is no change of its history.
    const open = await invoice('2025-05-10' as BusinessDate, 2_000);
    const counted = await changes();
    await pay(open, '2025-05-20', 2_000);
    expect(await changes()).toBe(counted + 1); // the allocation, not the invoice's new open amount
  });

  it('a later run reads the kept totals, computes only what closed or changed since, and gives the figures of the histories', async () => {
    // September's run keeps its month-ends; when October closes, its run computes only the new ones.
    await t.store.db.deleteFrom('provision_month_totals').execute();
    await computeProvision(services, '2026-09-30');
    const monthClosed = await computeProvision(services, AS_OF);
    await t.store.db.deleteFrom('provision_month_totals').execute();
    const fromHistories = await computeProvision(services, AS_OF);
    expect(monthClosed).toEqual(fromHistories);
    const kept = await t.store.db.selectFrom('provision_month_totals').selectAll().execute();
    expect(kept.filter((k) => k.kind === 'loss').length).toBeGreaterThanOrEqual(
      fromHistories.monthEnds.length,
    );
    expect(await computeProvision(services, AS_OF)).toEqual(fromHistories);

    // The kept totals are what a later run reads: doubling their losses doubles the matrix's.
    const doubled = (json: string) =>
      JSON.stringify(
        (JSON.parse(json) as { lossMinor: number }[]).map((x) => ({ ...x, lossMinor: x.lossMinor * 2 })),
      );
    for (const k of kept.filter((k) => k.kind === 'loss'))
      await t.store.db
        .updateTable('provision_month_totals')
        .set({ totals_json: doubled(k.totals_json) })
        .where('kind', '=', 'loss')
        .where('month_end', '=', k.month_end)
        .where('until_day', '=', k.until_day)
        .execute();
    const fromKept = await computeProvision(services, AS_OF);
    expect(fromKept.matrix.map((m) => m.lossMinor)).toEqual(fromHistories.matrix.map((m) => 2 * m.lossMinor));

    // An invoice and a payment dated after the run's date leave every kept month-end as it was: still read.
    const fresh = await invoice('2026-11-05' as BusinessDate, 3_000);
    await pay(fresh, '2026-11-20', 1_000);
    expect((await computeProvision(services, AS_OF)).matrix).toEqual(fromKept.matrix);

    // A payment dated in a kept month makes its totals stale: learnt from the histories again.
    const old = await t.store.db
      .selectFrom('invoices')
      .select(['id'])
      .where('open_minor', '>', 0)
      .where('issue_date', '<', '2025-06-01')
      .orderBy('issue_date')
      .executeTakeFirstOrThrow();
    await pay(old.id, '2025-09-15', 10_000);
    await t.store.db.deleteFrom('provision_month_totals').where('kind', '=', 'roll').execute();
    const relearnt = await computeProvision(services, AS_OF);
    await t.store.db.deleteFrom('provision_month_totals').execute();
    expect(relearnt).toEqual(await computeProvision(services, AS_OF));
    expect(relearnt.matrix.map((m) => m.lossMinor)).not.toEqual(fromKept.matrix.map((m) => m.lossMinor));
  });
});
