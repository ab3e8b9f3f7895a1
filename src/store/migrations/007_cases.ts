import { type Kysely, sql } from 'kysely';

/** Review cases opened by contesting a decision (G5), and the risk case library (G4). */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and do not use the current schema type
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('review_cases')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('subject_type', 'text', (c) => c.notNull().check(sql`subject_type in ('order')`))
    .addColumn('subject_id', 'text', (c) => c.notNull())
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
    .addColumn('contested_outcome', 'text', (c) => c.notNull())
    .addColumn('reason_codes_json', 'text', (c) => c.notNull())
    .addColumn('grounds', 'text', (c) => c.notNull())
    .addColumn('opened_by', 'text', (c) => c.notNull())
    .addColumn('opened_at', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('open', 'decided')`))
    .addColumn('outcome', 'text', (c) => c.check(sql`outcome in ('upheld', 'overturned')`))
    .addColumn('decision_note', 'text')
    .addColumn('decided_by', 'text')
    .addColumn('decided_at', 'text')
    .execute();
  await db.schema
    .createIndex('review_cases_status')
    .on('review_cases')
    .columns(['status', 'opened_at'])
    .execute();
  await db.schema
    .createIndex('review_cases_subject')
    .on('review_cases')
    .columns(['subject_type', 'subject_id'])
    .execute();

  await db.schema
    .createTable('risk_cases')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('customer_id', 'text', (c) => c.references('customers.id'))
    .addColumn('what_happened', 'text', (c) => c.notNull())
    .addColumn('warning_signs', 'text', (c) => c.notNull())
    .addColumn('lessons', 'text', (c) => c.notNull())
    .addColumn('tags_json', 'text', (c) => c.notNull())
    .addColumn('reason_codes_json', 'text', (c) => c.notNull())
    .addColumn('loss_minor', 'bigint')
    .addColumn('currency', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
}
