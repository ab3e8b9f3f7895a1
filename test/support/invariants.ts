import { expect } from 'vitest';
import type { Store } from '../../src/store/db.js';

/**
 * Recomputes every invoice's open amount and every payment's unapplied amount from the entries
 * and checks them against the stored balances: the ledger's central invariant.
 */
export async function expectLedgerBalances(store: Store): Promise<void> {
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
