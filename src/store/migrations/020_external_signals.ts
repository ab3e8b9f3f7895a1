import type { Kysely } from 'kysely';

/**
 * Outside data (A7): a buyer's registration id (how registries, courts and bureaus name it), and
 * the signals providers report about buyers — each once, whatever file or feed brought it again.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and do not use the current schema type
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('customers').addColumn('registration_id', 'text').execute();
  await db.schema
    .createIndex('customers_registration_id')
    .on('customers')
    .column('registration_id')
    .execute();
  await db.schema
    .createTable('external_signals')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('source_ref', 'text', (c) => c.notNull())
    .addColumn('signal_type', 'text', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('occurred_on', 'text', (c) => c.notNull())
    .addColumn('amount_minor', 'bigint')
    .addColumn('currency', 'text')
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addColumn('received_by', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('external_signals_source_ref')
    .on('external_signals')
    .columns(['source', 'source_ref'])
    .unique()
    .execute();
  await db.schema
    .createIndex('external_signals_customer')
    .on('external_signals')
    .columns(['customer_id', 'occurred_on'])
    .execute();
}
