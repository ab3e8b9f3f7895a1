import type { Executor } from '../../store/write.js';

/** Objects that belong to one customer, and so to that customer's sales owner. */
export type OwnedObject = 'customer' | 'order' | 'invoice' | 'payment';

const TABLE = { order: 'orders', invoice: 'invoices', payment: 'payments' } as const;

/**
 * The sales owner of an object's customer: null when the customer has none, undefined when the
 * object does not exist (the route then answers its own 404).
 */
export async function salesOwnerOf(
  db: Executor,
  object: OwnedObject,
  id: string,
): Promise<string | null | undefined> {
  if (object === 'customer') {
    const row = await db
      .selectFrom('customers')
      .select('sales_owner')
      .where('id', '=', id)
      .executeTakeFirst();
    return row?.sales_owner;
  }
  const table = TABLE[object];
  const row = await db
    .selectFrom(table)
    .innerJoin('customers', 'customers.id', `${table}.customer_id`)
    .select('customers.sales_owner')
    .where(`${table}.id`, '=', id)
    .executeTakeFirst();
  return row?.sales_owner;
}
