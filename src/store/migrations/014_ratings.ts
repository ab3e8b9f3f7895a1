import { type Kysely, sql } from 'kysely';

/**
 * Ratings (A6): where each customer's grade and class come from (the model's master scale, an
 * approved override for a strategic customer, or a manual assessment before any model), the
 * overrides with their approvals, and every change of rating by date (for rating migration).
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and do not use the current schema type
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('credit_profiles')
    .addColumn('strategic', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable('credit_profiles')
    .addColumn('rating_source', 'text', (c) =>
      c.notNull().defaultTo('manual').check(sql`rating_source in ('manual', 'model', 'override')`),
    )
    .execute();
  await db.schema.alterTable('credit_profiles').addColumn('model_grade', 'integer').execute();
  await db.schema
    .createTable('rating_overrides')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
    .addColumn('grade', 'integer', (c) => c.notNull().check(sql`grade between 1 and 10`))
    .addColumn('model_grade', 'integer')
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('pending', 'active', 'rejected', 'ended')`),
    )
    .addColumn('requested_by', 'text', (c) => c.notNull())
    .addColumn('requested_at', 'text', (c) => c.notNull())
    .addColumn('decided_by', 'text')
    .addColumn('decided_at', 'text')
    .addColumn('decision_note', 'text')
    .addColumn('ended_by', 'text')
    .addColumn('ended_at', 'text')
    .execute();
  await db.schema
    .createIndex('rating_overrides_customer')
    .on('rating_overrides')
    .columns(['customer_id', 'status'])
    .execute();
  await db.schema
    .createTable('rating_history')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
    .addColumn('rated_on', 'text', (c) => c.notNull())
    .addColumn('grade', 'integer')
    .addColumn('risk_class', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('rating_history_customer')
    .on('rating_history')
    .columns(['customer_id', 'rated_on', 'created_at'])
    .execute();
}
