import type { Kysely } from 'kysely';

/**
 * Dunning progress as one row per invoice and run (the steps taken and those superseded that day)
 * instead of one row per invoice and step: a first run over a large open book writes a third of
 * the rows, and the history keeps everything the old rows said.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and do not use the current schema type
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('dunning_steps')
    .addColumn('invoice_id', 'text', (c) => c.notNull().references('invoices.id'))
    .addColumn('run_on', 'text', (c) => c.notNull())
    .addColumn('days_past_due', 'integer', (c) => c.notNull())
    .addColumn('open_minor', 'bigint', (c) => c.notNull())
    /** Step ids, comma-separated (step ids are [a-z0-9-]). */
    .addColumn('taken', 'text', (c) => c.notNull())
    .addColumn('superseded', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('dunning_steps_pk', ['invoice_id', 'run_on'])
    .execute();
  const old = await db
    .selectFrom('dunning_actions')
    .select(['invoice_id', 'run_on', 'step_id', 'outcome', 'days_past_due', 'open_minor'])
    .orderBy('invoice_id')
    .orderBy('run_on')
    .orderBy('step_id')
    .execute();
  const rows = new Map<
    string,
    {
      invoice_id: string;
      run_on: string;
      days_past_due: number;
      open_minor: number;
      taken: string[];
      superseded: string[];
    }
  >();
  for (const a of old) {
    const key = `${a.invoice_id}\u0000${a.run_on}`;
    let row = rows.get(key);
    if (!row) {
      row = { ...a, taken: [], superseded: [] };
      rows.set(key, row);
    }
    (a.outcome === 'superseded' ? row.superseded : row.taken).push(a.step_id);
  }
  const values = [...rows.values()].map((r) => ({
    invoice_id: r.invoice_id,
    run_on: r.run_on,
    days_past_due: r.days_past_due,
    open_minor: r.open_minor,
    taken: r.taken.join(','),
    superseded: r.superseded.join(','),
  }));
  for (let start = 0; start < values.length; start += 1_000)
    await db
      .insertInto('dunning_steps')
      .values(values.slice(start, start + 1_000))
      .execute();
  await db.schema.dropTable('dunning_actions').execute();
}
