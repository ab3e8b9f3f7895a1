import { sql } from 'kysely';
import type { Dialect } from '../../store/db.js';
import type { Executor } from '../../store/write.js';

/**
 * Serialises credit decisions per customer and per group. On PostgreSQL the groups' rows, then the
 * customers' profile rows, are locked FOR UPDATE, each set in id order (PostgreSQL locks rows in
 * the order an ORDER BY returns them). Every writer locks groups before customers and both in that
 * order, so two checks — one order or a run of them, in one process or two — cannot deadlock;
 * concurrent checks on the same customer or group read exposure one after the other. SQLite
 * transactions already run one at a time (BEGIN IMMEDIATE).
 */
export async function lockCreditSubjects(
  trx: Executor,
  dialect: Dialect,
  customerIds: readonly string[],
): Promise<void> {
  if (dialect !== 'postgres' || customerIds.length === 0) return;
  const ids = sql.val([...new Set(customerIds)]);
  // One round trip for both sets: the groups' sub-select is an InitPlan and the condition on it a
  // one-time filter, which PostgreSQL evaluates before it scans a single profile row — so the
  // groups are locked (in id order) before any customer is (in id order), as two statements did.
  await sql`
    select customer_id from credit_profiles
    where customer_id = any(${ids}::text[])
      and (select count(*) from (
        select id from customer_groups
        where id in (select group_id from customers where id = any(${ids}::text[]))
        order by id for update
      ) as groups) >= 0
    order by customer_id for update`.execute(trx);
}
