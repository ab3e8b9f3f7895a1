import { expect } from 'vitest';
import type { Store } from '../../src/store/db.js';

/**
 * Recomputes every invoice's open amount and every payment's unapplied amount from the entries
 * and checks them against the stored balances: the ledger's central invariant.
 */
export async function expectLedgerBalances(store: Store): Promise<void> {
  await expectExposureMatchesLedger(store);
  const { db } = store;
  const invoices = await db
    .selectFrom('invoices')
    .select(['id', 'amount_minor', 'open_minor', 'settled_on'])
    .execute();
  const allocated = new Map<string, number>();
  for (const a of await db
    .selectFrom('allocations')
    .select(['invoice_id', 'payment_id', 'amount_minor'])
    .execute()) {
    allocated.set(a.invoice_id, (allocated.get(a.invoice_id) ?? 0) + a.amount_minor);
    allocated.set(a.payment_id, (allocated.get(a.payment_id) ?? 0) + a.amount_minor);
  }
  const credited = new Map<string, number>();
  for (const n of await db.selectFrom('credit_notes').select(['invoice_id', 'amount_minor']).execute()) {
    credited.set(n.invoice_id, (credited.get(n.invoice_id) ?? 0) + n.amount_minor);
  }
  for (const invoice of invoices) {
    const expected =
      invoice.amount_minor - (allocated.get(invoice.id) ?? 0) - (credited.get(invoice.id) ?? 0);
    expect(invoice.open_minor, `open amount of ${invoice.id}`).toBe(expected);
    expect(invoice.open_minor).toBeGreaterThanOrEqual(0);
    expect(invoice.settled_on === null, `settled_on of ${invoice.id}`).toBe(invoice.open_minor > 0);
  }
  for (const payment of await db
    .selectFrom('payments')
    .select(['id', 'amount_minor', 'unapplied_minor'])
    .execute()) {
    expect(payment.unapplied_minor + (allocated.get(payment.id) ?? 0), `payment ${payment.id}`).toBe(
      payment.amount_minor,
    );
  }
}

export type CountedTable = 'customers' | 'invoices' | 'payments' | 'audit_events' | 'allocations';

export async function countRows(store: Store, table: CountedTable): Promise<number> {
  const row = await store.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Exposure balances must equal what the ledger says: open invoices plus accepted open and shipped orders. */
export async function expectExposureMatchesLedger(store: Store): Promise<void> {
  const expected = new Map<string, [number, number, number]>();
  const add = (key: string, index: 0 | 1 | 2, amount: number) => {
    const row = expected.get(key) ?? [0, 0, 0];
    row[index] += amount;
    expected.set(key, row);
  };
  for (const i of await store.db
    .selectFrom('invoices')
    .select(['customer_id', 'currency', 'open_minor'])
    .execute()) {
    add(`${i.customer_id}|${i.currency}`, 0, i.open_minor);
  }
  const orders = await store.db
    .selectFrom('orders')
    .select(['customer_id', 'currency', 'status', 'credit_minor'])
    .where('status', 'in', ['open', 'shipped'])
    .execute();
  for (const o of orders)
    add(`${o.customer_id}|${o.currency}`, o.status === 'open' ? 1 : 2, o.credit_minor ?? 0);
  const actual = new Map<string, [number, number, number]>();
  for (const b of await store.db.selectFrom('exposure_balances').selectAll().execute()) {
    actual.set(`${b.customer_id}|${b.currency}`, [b.receivables_minor, b.open_orders_minor, b.shipped_minor]);
  }
  const nonZero = (m: Map<string, [number, number, number]>) =>
    new Map([...m].filter(([, v]) => v.some((x) => x !== 0)).sort(([a], [b]) => (a < b ? -1 : 1)));
  expect(nonZero(actual)).toEqual(nonZero(expected));
}
