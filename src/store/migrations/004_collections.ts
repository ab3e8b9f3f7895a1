import { type Kysely, sql } from 'kysely';

/** Collections (E2–E4): contacts, disputes, promises to pay, dunning strategies, actions and tasks. */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and do not use the current schema type
export async function up(db: Kysely<any>): Promise<void> {
  // The latest dated entry of the ledger in three index seeks: aging as of a date on or after it
  // can read the open-items index instead of replaying the ledger.
  await db.schema.createIndex('invoices_issue_date').on('invoices').column('issue_date').execute();
  await db.schema.createIndex('allocations_applied_on').on('allocations').column('applied_on').execute();
  await db.schema.createIndex('credit_notes_issued_on').on('credit_notes').column('issued_on').execute();
  // The whole book's aging today: a range sum per currency and bucket over this index.
  await db.schema
    .createIndex('invoices_open_aging')
    .on('invoices')
    .columns(['currency', 'due_date', 'open_minor'])
    .where(sql.ref('open_minor'), '>', 0)
    .execute();

  await db.schema
    .createTable('contacts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('email', 'text')
    .addColumn('phone', 'text')
    .addColumn('language', 'text', (c) => c.notNull().check(sql`language in ('en', 'zh-CN')`))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('contacts_customer').on('contacts').column('customer_id').execute();

  await db.schema
    .createTable('disputes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('invoice_id', 'text', (c) => c.notNull().references('invoices.id'))
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
    .addColumn('amount_minor', 'bigint', (c) => c.notNull().check(sql`amount_minor > 0`))
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) =>
      c.notNull().check(sql`reason in ('price', 'quantity', 'quality', 'delivery', 'duplicate', 'other')`),
    )
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('owner', 'text', (c) => c.notNull())
    .addColumn('due_on', 'text', (c) => c.notNull())
    .addColumn('opened_on', 'text', (c) => c.notNull())
    .addColumn('opened_by', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('open', 'resolved')`))
    .addColumn('resolution', 'text', (c) =>
      c.check(sql`resolution in ('credit_note', 'valid', 'written_off')`),
    )
    .addColumn('resolution_note', 'text')
    .addColumn('resolved_on', 'text')
    .addColumn('resolved_by', 'text')
    .execute();
  await db.schema.createIndex('disputes_invoice').on('disputes').columns(['invoice_id', 'status']).execute();

  await db.schema
    .createTable('payment_promises')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
    .addColumn('amount_minor', 'bigint', (c) => c.notNull().check(sql`amount_minor > 0`))
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('promised_on', 'text', (c) => c.notNull())
    .addColumn('promised_by', 'text', (c) => c.notNull())
    .addColumn('recorded_on', 'text', (c) => c.notNull())
    .addColumn('recorded_by', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('open', 'kept', 'broken')`))
    .addColumn('paid_minor', 'bigint', (c) => c.notNull())
    .addColumn('settled_on', 'text')
    .execute();
  await db.schema
    .createIndex('payment_promises_customer')
    .on('payment_promises')
    .columns(['customer_id', 'status'])
    .execute();

  await db.schema
    .createTable('dunning_strategies')
    .addColumn('version', 'integer', (c) => c.primaryKey())
    .addColumn('document_json', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  // One row per invoice and step: the unique key is what makes a run safe to repeat.
  await db.schema
    .createTable('dunning_actions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('run_on', 'text', (c) => c.notNull())
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
    .addColumn('invoice_id', 'text', (c) => c.notNull().references('invoices.id'))
    .addColumn('step_id', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('strategy_version', 'integer', (c) => c.notNull())
    .addColumn('days_past_due', 'integer', (c) => c.notNull())
    .addColumn('open_minor', 'bigint', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('message_id', 'text')
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('dunning_actions_step', ['invoice_id', 'step_id'])
    .execute();
  await db.schema
    .createIndex('dunning_actions_customer')
    .on('dunning_actions')
    .columns(['customer_id', 'run_on'])
    .execute();

  // Each run, so the next one only looks at invoices that crossed a step or changed since.
  await db.schema
    .createTable('dunning_runs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('run_on', 'text', (c) => c.notNull())
    .addColumn('strategy_version', 'integer', (c) => c.notNull())
    .addColumn('mode', 'text', (c) => c.notNull().check(sql`mode in ('full', 'incremental')`))
    .addColumn('invoices_considered', 'integer', (c) => c.notNull())
    .addColumn('steps_taken', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('dunning_runs_run_on').on('dunning_runs').column('run_on').execute();

  // Letters are documents: kept as rendered, so what was sent can be shown later.
  await db.schema
    .createTable('dunning_letters')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
    .addColumn('run_on', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull().check(sql`channel in ('email', 'letter')`))
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('recipient', 'text')
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('message_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('collection_tasks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
    .addColumn('kind', 'text', (c) =>
      c.notNull().check(sql`kind in ('call', 'agency', 'legal', 'broken_promise')`),
    )
    .addColumn('due_on', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('open', 'done')`))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('done_by', 'text')
    .addColumn('done_note', 'text')
    .execute();
  await db.schema
    .createIndex('collection_tasks_open')
    .on('collection_tasks')
    .columns(['status', 'due_on'])
    .execute();
}
