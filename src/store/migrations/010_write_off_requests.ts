import { type Kysely, sql } from 'kysely';

/** Write-offs wait for a second person within the authority matrix (E7, G2). */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and do not use the current schema type
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('write_off_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('invoice_id', 'text', (c) => c.notNull().references('invoices.id'))
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
    .addColumn('external_id', 'text', (c) => c.notNull().unique())
    .addColumn('issued_on', 'text', (c) => c.notNull())
    .addColumn('amount_minor', 'bigint', (c) => c.notNull().check(sql`amount_minor > 0`))
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('pending', 'approved', 'rejected')`))
    .addColumn('requested_by', 'text', (c) => c.notNull())
    .addColumn('requested_at', 'text', (c) => c.notNull())
    .addColumn('decided_by', 'text')
    .addColumn('decided_at', 'text')
    .addColumn('decision_note', 'text')
    .addColumn('credit_note_id', 'text')
    .execute();
  await db.schema
    .createIndex('write_off_requests_status')
    .on('write_off_requests')
    .columns(['status', 'requested_at'])
    .execute();
}
