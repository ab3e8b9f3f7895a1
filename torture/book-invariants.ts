import { verifyAuditChain } from '../src/app/audit/verify-audit.js';
import type { Store } from '../src/store/db.js';

/**
 * The ledger's invariants, recomputed from the entries: each problem as a sentence (none: the
 * book holds). Shared by the tests, the crash loop and the deterministic simulation.
 */
export async function ledgerViolations(store: Store): Promise<string[]> {
  const problems: string[] = [];
  const { db } = store;
  const allocated = new Map<string, number>();
  for (const a of await db
    .selectFrom('allocations')
    .select(['invoice_id', 'payment_id', 'amount_minor'])
    .execute()) {
    allocated.set(a.invoice_id, (allocated.get(a.invoice_id) ?? 0) + a.amount_minor);
    allocated.set(a.payment_id, (allocated.get(a.payment_id) ?? 0) + a.amount_minor);
  }
  const credited = new Map<string, number>();
  for (const n of await db.selectFrom('credit_notes').select(['invoice_id', 'amount_minor']).execute())
    credited.set(n.invoice_id, (credited.get(n.invoice_id) ?? 0) + n.amount_minor);
  for (const i of await db
    .selectFrom('invoices')
    .select(['id', 'amount_minor', 'open_minor', 'settled_on'])
    .execute()) {
    const expected = i.amount_minor - (allocated.get(i.id) ?? 0) - (credited.get(i.id) ?? 0);
    if (i.open_minor !== expected)
      problems.push(`invoice ${i.id}: open ${i.open_minor} ≠ amount − payments − credit notes = ${expected}`);
    if (i.open_minor < 0) problems.push(`invoice ${i.id}: open amount ${i.open_minor} is negative`);
    if ((i.settled_on === null) !== i.open_minor > 0)
      problems.push(`invoice ${i.id}: settled_on ${i.settled_on} with open amount ${i.open_minor}`);
  }
  for (const p of await db.selectFrom('payments').select(['id', 'amount_minor', 'unapplied_minor']).execute())
    if (p.unapplied_minor + (allocated.get(p.id) ?? 0) !== p.amount_minor)
      problems.push(`payment ${p.id}: unapplied ${p.unapplied_minor} + applied ≠ amount ${p.amount_minor}`);
  return [...problems, ...(await exposureViolations(store))];
}

/** Exposure balances must equal the ledger: open invoices, and approved open and shipped orders. */
export async function exposureViolations(store: Store): Promise<string[]> {
  const { db } = store;
  const expected = new Map<string, [number, number, number]>();
  const add = (key: string, part: 0 | 1 | 2, amount: number) => {
    const row = expected.get(key) ?? [0, 0, 0];
    row[part] += amount;
    expected.set(key, row);
  };
  for (const i of await db.selectFrom('invoices').select(['customer_id', 'currency', 'open_minor']).execute())
    add(`${i.customer_id}|${i.currency}`, 0, i.open_minor);
  for (const o of await db
    .selectFrom('orders')
    .select(['customer_id', 'currency', 'status', 'credit_minor'])
    .where('status', 'in', ['open', 'shipped'])
    .execute())
    add(`${o.customer_id}|${o.currency}`, o.status === 'open' ? 1 : 2, o.credit_minor ?? 0);
  const actual = new Map<string, [number, number, number]>();
  for (const b of await db.selectFrom('exposure_balances').selectAll().execute())
    actual.set(`${b.customer_id}|${b.currency}`, [b.receivables_minor, b.open_orders_minor, b.shipped_minor]);
  const problems: string[] = [];
  for (const key of new Set([...expected.keys(), ...actual.keys()])) {
    const want = expected.get(key) ?? [0, 0, 0];
    const have = actual.get(key) ?? [0, 0, 0];
    if (want.some((v, i) => v !== have[i]))
      problems.push(
        `exposure of ${key}: stored ${have.join('/')} ≠ ledger ${want.join('/')} (receivables/orders/shipped)`,
      );
  }
  return problems;
}

/** The ledger's invariants and the audit chain, verified from the store. */
export async function bookViolations(store: Store): Promise<string[]> {
  const problems = await ledgerViolations(store);
  const chain = await verifyAuditChain(store.db);
  if (!chain.ok)
    problems.push(`audit chain broken at entry ${chain.seq}: ${chain.problem} — ${chain.detail}`);
  return problems;
}
