import type { Dialect } from '../../store/db.js';
import type { Executor } from '../../store/write.js';

/**
 * Serialises credit decisions per customer and per group. On PostgreSQL the group row, then the
 * customer's profile row, are locked FOR UPDATE (always in that order, so two checks cannot
 * deadlock); concurrent checks on the same customer or group then read exposure one after the
 * other, also across server processes. SQLite transactions already run one at a time
 * (BEGIN IMMEDIATE).
 */
export async function lockCreditSubject(trx: Executor, dialect: Dialect, customerId: string): Promise<void> {
  if (dialect !== 'postgres') return;
  const customer = await trx
    .selectFrom('customers')
    .select('group_id')
    .where('id', '=', customerId)
    .executeTakeFirst();
  if (customer?.group_id) {
    await trx
      .selectFrom('customer_groups')
      .select('id')
      .where('id', '=', customer.group_id)
      .forUpdate()
      .execute();
  }
  await trx
    .selectFrom('credit_profiles')
    .select('customer_id')
    .where('customer_id', '=', customerId)
    .forUpdate()
    .execute();
}
