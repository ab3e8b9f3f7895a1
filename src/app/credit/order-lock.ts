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
  const ids = [...new Set(customerIds)];
  await trx
    .selectFrom('customer_groups')
    .select('id')
    .where('id', 'in', (eb) => eb.selectFrom('customers').select('group_id').where('id', 'in', ids))
    .orderBy('id')
    .forUpdate()
    .execute();
  await trx
    .selectFrom('credit_profiles')
    .select('customer_id')
    .where('customer_id', 'in', ids)
    .orderBy('customer_id')
    .forUpdate()
    .execute();
}
