import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activeWarningRules } from '../../src/app/monitoring/warning-rule-sets.js';
import { readReplayOrders } from '../../src/app/simulation/book-orders.js';
import { candidatePolicy } from '../../src/core/simulation/policy-families.js';
import { replayOrders } from '../../src/core/simulation/replay-book.js';
import type { BusinessDate } from '../../src/core/time/business-date.js';
import { seedDemoBook } from '../../src/demo/seed.js';
import { freshStore, type TestStore, testServices } from '../support/stores.js';

const TODAY = '2026-03-31' as BusinessDate;
const CUT = '2025-10-15' as BusinessDate;

/** Removes every fact dated after `day`, as if the book had been read that day. */
async function cutBook(t: TestStore, day: BusinessDate) {
  const { db } = t.store;
  await sql`PRAGMA foreign_keys = OFF`.execute(db);
  await db.deleteFrom('allocations').where('applied_on', '>', day).execute();
  await db.deleteFrom('payments').where('paid_on', '>', day).execute();
  await db.deleteFrom('credit_notes').where('issued_on', '>', day).execute();
  await db.deleteFrom('invoices').where('issue_date', '>', day).execute();
  await db.deleteFrom('orders').where('ordered_on', '>', day).execute();
  await db.deleteFrom('payment_promises').where('recorded_on', '>', day).execute();
  await db.deleteFrom('external_signals').where('occurred_on', '>', day).execute();
  await db.deleteFrom('cycle_readings').where('month', '>', day.slice(0, 7)).execute();
  await sql`update invoices set open_minor = amount_minor
      - coalesce((select sum(a.amount_minor) from allocations a where a.invoice_id = invoices.id), 0)
      - coalesce((select sum(n.amount_minor) from credit_notes n where n.invoice_id = invoices.id), 0)`.execute(
    db,
  );
  await sql`update invoices set settled_on = null where open_minor > 0`.execute(db);
  await sql`PRAGMA foreign_keys = ON`.execute(db);
}

describe('the replay sees nothing after its day', () => {
  let full: TestStore;
  let cut: TestStore;
  beforeAll(async () => {
    [full, cut] = await Promise.all([freshStore('sqlite'), freshStore('sqlite')]);
    for (const t of [full, cut])
      await seedDemoBook(testServices(t.store, TODAY), { customers: 40, months: 12 });
    await cutBook(cut, CUT);
  });
  afterAll(async () => {
    await full.dispose();
    await cut.dispose();
  });

  it('a replay as of D on the whole book equals the replay of the book cut at D', async () => {
    const rules = (await activeWarningRules(full.store.db)).rules;
    const fromFull = await readReplayOrders(full.store.db, CUT, rules);
    const fromCut = await readReplayOrders(cut.store.db, CUT, rules);
    expect(fromFull.orders.length).toBeGreaterThan(100);
    expect(fromFull.orders).toEqual(fromCut.orders);
    const params = {
      family: 'static' as const,
      multiple: 2,
      overdueTolerance: 5,
      newCustomerLimitMinor: 0,
    };
    expect(replayOrders(fromFull.orders, candidatePolicy(params).replay)).toEqual(
      replayOrders(fromCut.orders, candidatePolicy(params).replay),
    );
  });
});
