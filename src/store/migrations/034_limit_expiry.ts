import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../db.js';

/**
 * A temporary limit past its end is marked `expired` by the nightly run (the terms execute
 * themselves): the status check of credit_limits takes the new value. PostgreSQL alters the
 * check; SQLite, which cannot, rebuilds the table with the same rows.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and do not use the current schema type
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  const statuses = sql`status in ('active', 'superseded', 'cancelled', 'expired')`;
  if (dialect === 'postgres') {
    await sql`alter table credit_limits drop constraint if exists credit_limits_status_check`.execute(db);
    await sql`alter table credit_limits add constraint credit_limits_status_check check (${statuses})`.execute(
      db,
    );
    return;
  }
  await db.schema
    .createTable('credit_limits_next')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('subject_type', 'text', (c) => c.notNull().check(sql`subject_type in ('customer', 'group')`))
    .addColumn('subject_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('permanent', 'temporary')`))
    .addColumn('amount_minor', 'bigint', (c) => c.notNull().check(sql`amount_minor >= 0`))
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('starts_on', 'text', (c) => c.notNull())
    .addColumn('expires_on', 'text')
    .addColumn('tiers_json', 'text')
    .addColumn('released_percent', 'integer', (c) =>
      c.notNull().check(sql`released_percent between 0 and 100`),
    )
    .addColumn('status', 'text', (c) => c.notNull().check(statuses))
    .addColumn('request_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await sql`insert into credit_limits_next (id, subject_type, subject_id, kind, amount_minor, currency, starts_on,
    expires_on, tiers_json, released_percent, status, request_id, created_at)
    select id, subject_type, subject_id, kind, amount_minor, currency, starts_on, expires_on, tiers_json,
    released_percent, status, request_id, created_at from credit_limits`.execute(db);
  await db.schema.dropTable('credit_limits').execute();
  await sql`alter table credit_limits_next rename to credit_limits`.execute(db);
  await db.schema
    .createIndex('credit_limits_subject')
    .on('credit_limits')
    .columns(['subject_type', 'subject_id', 'status'])
    .execute();
}
