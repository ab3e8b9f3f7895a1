import { type Kysely, sql } from 'kysely';

/** Security held against a buyer's debt (F2): letters of credit and guarantees, each with its expiry. */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and do not use the current schema type
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('collateral')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
    .addColumn('kind', 'text', (c) =>
      c.notNull().check(sql`kind in ('letter_of_credit', 'bank_guarantee', 'parent_guarantee', 'other')`),
    )
    .addColumn('issuer', 'text', (c) => c.notNull())
    .addColumn('reference', 'text', (c) => c.notNull())
    .addColumn('amount_minor', 'bigint', (c) => c.notNull().check(sql`amount_minor > 0`))
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('valid_from', 'text', (c) => c.notNull())
    .addColumn('expires_on', 'text', (c) => c.notNull())
    .addColumn('released_on', 'text')
    .addColumn('recorded_by', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('collateral_customer').on('collateral').column('customer_id').execute();
}
