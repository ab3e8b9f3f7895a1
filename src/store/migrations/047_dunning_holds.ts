import { type Kysely, sql } from 'kysely';

/**
 * Dunning held for a customer from the worklist (E2): paused until a date (the buyer is in talks,
 * a payment is on its way) or handed to a collection agency (no letters of ours while it works the
 * debt). Lifted by hand, or (a pause) by its date passing.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and do not use the current schema type
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('dunning_holds')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('pause', 'agency')`))
    .addColumn('agency', 'text')
    /** The last day a pause holds (null for an agency: until lifted). */
    .addColumn('until', 'text')
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('lifted_by', 'text')
    .addColumn('lifted_at', 'text')
    .execute();
  await db.schema.createIndex('dunning_holds_customer').on('dunning_holds').column('customer_id').execute();
}
