import { type Kysely, sql } from 'kysely';

/** Early warning (D1, D2): versioned warning rule sets and the alerts they raise. */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and do not use the current schema type
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('warning_rule_sets')
    .addColumn('version', 'integer', (c) => c.primaryKey())
    .addColumn('document_json', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('activated_by', 'text')
    .addColumn('activated_at', 'text')
    .execute();
  await db.schema
    .createTable('alerts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
    .addColumn('rule_id', 'text', (c) => c.notNull())
    .addColumn('rule_version', 'integer', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('owner_role', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('facts_json', 'text', (c) => c.notNull())
    .addColumn('raised_on', 'text', (c) => c.notNull())
    .addColumn('due_on', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('state_reason', 'text')
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  // One live alert per customer and rule: a rule that keeps firing does not raise it again.
  await sql`create unique index alerts_live on alerts (customer_id, rule_id) where state in ('open', 'acknowledged')`.execute(
    db,
  );
  await db.schema.createIndex('alerts_state_raised').on('alerts').columns(['state', 'raised_on']).execute();
}
