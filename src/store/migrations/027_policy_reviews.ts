import type { Kysely } from 'kysely';

/** Reviews of the credit policy as a whole (H3): after an appetite breach, a change of regime, each quarter. */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and do not use the current schema type
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('policy_reviews')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('facts_json', 'text', (c) => c.notNull())
    .addColumn('raised_on', 'text', (c) => c.notNull())
    .addColumn('due_on', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text')
    .addColumn('closed_by', 'text')
    .addColumn('closed_at', 'text')
    .execute();
  await db.schema
    .createIndex('policy_reviews_by_status')
    .on('policy_reviews')
    .columns(['status', 'due_on'])
    .execute();
}
