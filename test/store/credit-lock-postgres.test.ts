import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lockCreditSubjects } from '../../src/app/credit/order-lock.js';
import { createCustomerGroup } from '../../src/app/customers/create-customer-group.js';
import { createCustomers } from '../../src/app/customers/create-customers.js';
import type { Executor } from '../../src/store/write.js';
import { freshStore, type TestStore, testServices } from '../support/stores.js';

/** Whether another transaction holds the row's lock: FOR UPDATE NOWAIT fails at once if so. */
async function lockedElsewhere(executor: Executor, table: 'customer_groups' | 'credit_profiles', id: string) {
  const column = table === 'customer_groups' ? 'id' : 'customer_id';
  return executor
    .transaction()
    .execute(async (trx) => {
      await sql`select 1 from ${sql.table(table)} where ${sql.ref(column)} = ${id} for update nowait`.execute(
        trx,
      );
      return false;
    })
    .catch((error: { code?: string }) => {
      if (error.code === '55P03') return true; // lock_not_available
      throw error;
    });
}

// Every writer locks a run's groups, then its customers, each in id order: two of them can then
// never deadlock. Both sets are locked in one statement; these hold it to that order.
describe('credit subjects locked on PostgreSQL', () => {
  let t: TestStore;
  let group: string;
  let member: string;
  let loner: string;
  beforeAll(async () => {
    t = await freshStore('postgres');
    const services = testServices(t.store);
    group = (await createCustomerGroup(services, 'test', { externalId: 'G-LOCK', name: 'Lock group' })).id;
    [member, loner] = (
      await createCustomers(services, 'test', [
        {
          externalId: 'C-MEMBER',
          name: 'Member',
          country: 'CN',
          currency: 'CNY',
          segment: 'mid',
          groupId: group,
        },
        { externalId: 'C-LONER', name: 'Loner', country: 'CN', currency: 'CNY', segment: 'mid' },
      ])
    ).map((c) => c.id) as [string, string];
  }, 60_000);
  afterAll(async () => t.dispose());

  it("locks the customers' groups and profiles, and nobody else's", async () => {
    const { db } = t.store;
    await db.transaction().execute(async (trx) => {
      await lockCreditSubjects(trx, 'postgres', [member, member]);
      expect(await lockedElsewhere(db, 'customer_groups', group)).toBe(true);
      expect(await lockedElsewhere(db, 'credit_profiles', member)).toBe(true);
      expect(await lockedElsewhere(db, 'credit_profiles', loner)).toBe(false);
    });
  });

  it('takes the group before any customer: waiting for the group, it holds no customer yet', async () => {
    const { db } = t.store;
    let releaseGroup = () => {};
    const groupHeld = new Promise<void>((held) => {
      void db.transaction().execute(async (trx) => {
        await sql`select 1 from customer_groups where id = ${group} for update`.execute(trx);
        held();
        await new Promise<void>((release) => {
          releaseGroup = release;
        });
      });
    });
    await groupHeld;
    let locked = false;
    const locking = db.transaction().execute(async (trx) => {
      await lockCreditSubjects(trx, 'postgres', [loner, member]);
      locked = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(locked).toBe(false);
    // Blocked on the group: neither customer's profile is locked yet, the loner's included.
    expect(await lockedElsewhere(db, 'credit_profiles', loner)).toBe(false);
    expect(await lockedElsewhere(db, 'credit_profiles', member)).toBe(false);
    releaseGroup();
    await locking;
    expect(locked).toBe(true);
  });
});
