import type { Kysely } from 'kysely';

/**
 * Webhooks at volume: a subscription may take its events in batches (one request carrying up to
 * `batch_size` events), and due deliveries are read in the index's order (due time, then event),
 * with no sort of the backlog.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and do not use the current schema type
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('webhook_subscriptions')
    .addColumn('batch_size', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.dropIndex('webhook_deliveries_due').execute();
  await db.schema
    .createIndex('webhook_deliveries_due')
    .on('webhook_deliveries')
    .columns(['status', 'next_attempt_at', 'event_seq'])
    .execute();
}
