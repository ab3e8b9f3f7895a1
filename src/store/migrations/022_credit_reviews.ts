import type { Kysely } from 'kysely';

/** Periodic credit reviews (D3): each review kept, and the next one's date on the profile for the order check. */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and do not use the current schema type
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('credit_reviews')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
    .addColumn('reviewed_on', 'text', (c) => c.notNull())
    .addColumn('risk_class', 'text', (c) => c.notNull())
    .addColumn('findings', 'text', (c) => c.notNull())
    .addColumn('limit_decision', 'text', (c) => c.notNull())
    .addColumn('next_review_on', 'text', (c) => c.notNull())
    .addColumn('reviewed_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('credit_reviews_customer')
    .on('credit_reviews')
    .columns(['customer_id', 'reviewed_on'])
    .execute();
  await db.schema.alterTable('credit_profiles').addColumn('next_review_on', 'text').execute();
}
