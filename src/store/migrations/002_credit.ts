import { type Kysely, sql } from 'kysely';

/** Limits, exposure balances, FX rates, credit profiles, credit policies and the order decision. */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and do not use the current schema type
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('credit_profiles')
    .addColumn('customer_id', 'text', (c) => c.primaryKey().references('customers.id'))
    .addColumn('risk_class', 'text', (c) => c.notNull().check(sql`risk_class in ('A', 'B', 'C', 'D', 'E')`))
    .addColumn('rating_grade', 'integer', (c) => c.check(sql`rating_grade between 1 and 10`))
    .addColumn('blacklisted', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('stop_supply', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('insured_limit_minor', 'bigint')
    .addColumn('insured_coverage_percent', 'integer')
    .addColumn('guarantee_minor', 'bigint')
    /** The first invoice date: how long the customer has traded with us (new-customer rules). */
    .addColumn('trading_since', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  // Every customer has a profile: it carries the credit flags and is the row a check locks.
  await sql`insert into credit_profiles (customer_id, risk_class, blacklisted, stop_supply, trading_since, updated_at)
    select c.id, 'C', 0, 0, (select min(i.issue_date) from invoices i where i.customer_id = c.id), c.updated_at
    from customers c`.execute(db);

  await db.schema
    .createTable('credit_limits')
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
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('active', 'superseded', 'cancelled')`),
    )
    .addColumn('request_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('credit_limits_subject')
    .on('credit_limits')
    .columns(['subject_type', 'subject_id', 'status'])
    .execute();

  await db.schema
    .createTable('limit_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('subject_type', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('amount_minor', 'bigint', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('starts_on', 'text', (c) => c.notNull())
    .addColumn('expires_on', 'text')
    .addColumn('tiers_json', 'text')
    .addColumn('previous_minor', 'bigint', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('pending', 'approved', 'rejected')`))
    .addColumn('requested_by', 'text', (c) => c.notNull())
    .addColumn('decided_by', 'text')
    .addColumn('decided_at', 'text')
    .addColumn('decision_note', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('limit_requests_subject')
    .on('limit_requests')
    .columns(['subject_id', 'status'])
    .execute();

  await db.schema
    .createTable('fx_rates')
    .addColumn('base', 'text', (c) => c.notNull())
    .addColumn('quote', 'text', (c) => c.notNull())
    .addColumn('as_of', 'text', (c) => c.notNull())
    .addColumn('rate', 'double precision', (c) => c.notNull().check(sql`rate > 0`))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('fx_rates_pk', ['base', 'quote', 'as_of'])
    .execute();

  // Exposure per customer and currency, kept current in the transaction of every write that moves
  // it, so a credit check reads a few rows instead of summing invoices and orders.
  await db.schema
    .createTable('exposure_balances')
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('receivables_minor', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('open_orders_minor', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('shipped_minor', 'bigint', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('exposure_balances_pk', ['customer_id', 'currency'])
    .execute();

  await db.schema
    .createTable('credit_policies')
    .addColumn('version', 'integer', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('document_json', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('draft', 'active', 'retired')`))
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('activated_by', 'text')
    .addColumn('activated_at', 'text')
    .execute();

  for (const [column, type] of [
    ['credit_minor', 'bigint'],
    ['decision_outcome', 'text'],
    ['decision_json', 'text'],
    ['check_input_json', 'text'],
    ['policy_version', 'integer'],
    ['requested_by', 'text'],
    ['decided_by', 'text'],
    ['decided_at', 'text'],
    ['sla_due_at', 'text'],
  ] as const) {
    await db.schema.alterTable('orders').addColumn(column, type).execute();
  }
  await db.schema.createIndex('orders_queue').on('orders').columns(['status', 'created_at']).execute();

  // Orders loaded before this migration count in full on credit once accepted.
  await sql`update orders set credit_minor = amount_minor`.execute(db);
  await sql`insert into exposure_balances (customer_id, currency, receivables_minor, open_orders_minor, shipped_minor)
    select customer_id, currency, sum(receivables), sum(open_orders), sum(shipped) from (
      select customer_id, currency, open_minor as receivables, 0 as open_orders, 0 as shipped from invoices where open_minor > 0
      union all
      select customer_id, currency, 0, credit_minor, 0 from orders where status = 'open'
      union all
      select customer_id, currency, 0, 0, credit_minor from orders where status = 'shipped'
    ) parts group by customer_id, currency`.execute(db);
}
