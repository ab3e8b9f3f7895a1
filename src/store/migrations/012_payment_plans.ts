import { type Kysely, sql } from 'kysely';

/** Payment plans (E5): overdue invoices turned into instalments; dunning pauses while kept. */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and do not use the current schema type
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('payment_plans')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('total_minor', 'bigint', (c) => c.notNull())
    .addColumn('starts_on', 'text', (c) => c.notNull())
    .addColumn('grace_days', 'integer', (c) => c.notNull())
    .addColumn('annual_rate_percent', 'real', (c) => c.notNull())
    .addColumn('schedule_json', 'text', (c) => c.notNull())
    .addColumn('froze_supply', 'integer', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('active', 'completed', 'broken')`))
    .addColumn('ended_on', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('payment_plans_status')
    .on('payment_plans')
    .columns(['status', 'customer_id'])
    .execute();
  await db.schema
    .createTable('payment_plan_invoices')
    .addColumn('plan_id', 'text', (c) => c.notNull().references('payment_plans.id'))
    .addColumn('invoice_id', 'text', (c) => c.notNull().references('invoices.id'))
    .addPrimaryKeyConstraint('payment_plan_invoices_pk', ['plan_id', 'invoice_id'])
    .execute();
  await db.schema
    .createIndex('payment_plan_invoices_invoice')
    .on('payment_plan_invoices')
    .column('invoice_id')
    .execute();
}
