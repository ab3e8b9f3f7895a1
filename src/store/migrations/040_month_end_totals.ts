import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../db.js';

/** Each ledger table and the business date that places a row of it in a month. */
const LEDGER = [
  {
    table: 'invoices',
    day: 'issue_date',
    columns: 'issue_date, due_date, amount_minor, currency, customer_id',
  },
  { table: 'allocations', day: 'applied_on', columns: 'invoice_id, applied_on, amount_minor' },
  { table: 'credit_notes', day: 'issued_on', columns: 'invoice_id, issued_on, amount_minor, kind' },
] as const;

/**
 * Month-end totals kept for the provision matrix (F1): what each past month-end's receivables came
 * to by aging bucket and what of them was lost within the horizon, and the roll between consecutive
 * month-ends — computed once, read by every later run. They stay true only while nothing dated in
 * their months changes, so the database itself counts every insert, delete and edit of an invoice,
 * allocation or credit note by the month of its business date (whatever the client: imports,
 * ingest, hand-written SQL); a kept total records the count it was computed at and is recomputed
 * when the count moved. Each writer counts in its own row (PostgreSQL: per backend), so concurrent
 * writers never wait on each other for it.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and do not use the current schema type
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('ledger_month_changes')
    .addColumn('month', 'text', (c) => c.notNull())
    .addColumn('writer', 'integer', (c) => c.notNull())
    .addColumn('changes', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('ledger_month_changes_pk', ['month', 'writer'])
    .execute();
  await db.schema
    .createTable('provision_month_totals')
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('loss', 'roll')`))
    .addColumn('month_end', 'text', (c) => c.notNull())
    /** The horizon end (loss) or the next month-end (roll): nothing dated after it was used. */
    .addColumn('until_day', 'text', (c) => c.notNull())
    .addColumn('loss_days_past_due', 'integer', (c) => c.notNull())
    .addColumn('changes_seen', 'bigint', (c) => c.notNull())
    .addColumn('totals_json', 'text', (c) => c.notNull())
    .addColumn('computed_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('provision_month_totals_pk', [
      'kind',
      'month_end',
      'until_day',
      'loss_days_past_due',
    ])
    .execute();
  if (dialect === 'postgres') await postgresCounters(db);
  else await sqliteCounters(db);
}

const bump = (month: string, writer: string) =>
  `insert into ledger_month_changes (month, writer, changes) values (substr(${month}, 1, 7), ${writer}, 1)
     on conflict (month, writer) do update set changes = ledger_month_changes.changes + 1;`;

// biome-ignore lint/suspicious/noExplicitAny: as above
async function sqliteCounters(db: Kysely<any>) {
  for (const { table, day, columns } of LEDGER) {
    await sql
      .raw(
        `create trigger ${table}_month_inserted after insert on ${table} begin ${bump(`new.${day}`, '0')} end`,
      )
      .execute(db);
    await sql
      .raw(
        `create trigger ${table}_month_deleted after delete on ${table} begin ${bump(`old.${day}`, '0')} end`,
      )
      .execute(db);
    await sql
      .raw(
        `create trigger ${table}_month_updated after update of ${columns} on ${table} begin
           ${bump(`old.${day}`, '0')} ${bump(`new.${day}`, '0')} end`,
      )
      .execute(db);
  }
}

// biome-ignore lint/suspicious/noExplicitAny: as above
async function postgresCounters(db: Kysely<any>) {
  // Inserts and deletes per statement (one upsert per month however many rows: imports and COPY stay fast).
  await sql`create function fulcrum_count_ledger_months() returns trigger language plpgsql as $$
    begin
      execute format(
        'insert into ledger_month_changes (month, writer, changes)
           select substr(%I, 1, 7), pg_backend_pid(), count(*) from changed_rows group by 1
           on conflict (month, writer) do update set changes = ledger_month_changes.changes + excluded.changes',
        TG_ARGV[0]);
      return null;
    end $$`.execute(db);
  // Edits (none of these columns is edited by Fulcrum: money is corrected by new entries) row by row.
  await sql
    .raw(`create function fulcrum_count_ledger_edit() returns trigger language plpgsql as $$
    begin
      ${bump(`to_jsonb(old) ->> TG_ARGV[0]`, 'pg_backend_pid()')}
      ${bump(`to_jsonb(new) ->> TG_ARGV[0]`, 'pg_backend_pid()')}
      return null;
    end $$`)
    .execute(db);
  for (const { table, day, columns } of LEDGER) {
    await sql
      .raw(`create trigger ${table}_month_inserted after insert on ${table} referencing new table as changed_rows
        for each statement execute function fulcrum_count_ledger_months('${day}')`)
      .execute(db);
    await sql
      .raw(`create trigger ${table}_month_deleted after delete on ${table} referencing old table as changed_rows
        for each statement execute function fulcrum_count_ledger_months('${day}')`)
      .execute(db);
    await sql
      .raw(`create trigger ${table}_month_updated after update of ${columns} on ${table}
        for each row execute function fulcrum_count_ledger_edit('${day}')`)
      .execute(db);
  }
}
