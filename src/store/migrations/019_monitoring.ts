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
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('raised_on', 'text', (c) => c.notNull())
    .addColumn('due_on', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('state_reason', 'text')
    .addColumn('ended_on', 'text')
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  // One alert per episode: while a rule keeps firing for a customer it does not raise another,
  // however the first was handled; the episode ends (ended_on) the day the rule stops firing.
  await sql`create unique index alerts_episode on alerts (customer_id, rule_id) where ended_on is null`.execute(
    db,
  );
  // The worst live high/critical alert, kept on the profile so the order check reads it with the rest.
  await db.schema.alterTable('credit_profiles').addColumn('warning_severity', 'text').execute();
  await db.schema.createIndex('alerts_state_raised').on('alerts').columns(['state', 'raised_on']).execute();
}
