import { expect } from 'vitest';
import type { Store } from '../../src/store/db.js';
import { exposureViolations, ledgerViolations } from '../../torture/book-invariants.js';

/**
 * Recomputes every invoice's open amount, every payment's unapplied amount and every exposure
 * balance from the entries and checks them against the stored balances: the ledger's invariants.
 */
export async function expectLedgerBalances(store: Store): Promise<void> {
  expect(await ledgerViolations(store)).toEqual([]);
}

export type CountedTable =
  | 'customers'
  | 'invoices'
  | 'payments'
  | 'audit_events'
  | 'allocations'
  | 'credit_notes';

export async function countRows(store: Store, table: CountedTable): Promise<number> {
  const row = await store.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Exposure balances must equal what the ledger says: open invoices plus accepted open and shipped orders. */
export async function expectExposureMatchesLedger(store: Store): Promise<void> {
  expect(await exposureViolations(store)).toEqual([]);
}
