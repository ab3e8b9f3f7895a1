import { type Kysely, sql } from 'kysely';

/**
 * Carrying risk (F1, F2): individual provisions for credit-impaired customers, credit-insurance
 * policies, the insurer's decisions on buyers, overdue notifications and claims.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and do not use the current schema type
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('specific_provisions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
    .addColumn('recovery_rate', 'double precision', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('proposed', 'approved', 'rejected', 'ended')`),
    )
    .addColumn('proposed_by', 'text', (c) => c.notNull())
    .addColumn('proposed_at', 'text', (c) => c.notNull())
    .addColumn('decided_by', 'text')
    .addColumn('decided_at', 'text')
    .addColumn('effective_on', 'text')
    .addColumn('ended_on', 'text')
    .execute();
  await db.schema
    .createIndex('specific_provisions_customer')
    .on('specific_provisions')
    .column('customer_id')
    .execute();
  await db.schema
    .createTable('insurance_policies')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('insurer', 'text', (c) => c.notNull())
    .addColumn('policy_number', 'text', (c) => c.notNull().unique())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('starts_on', 'text', (c) => c.notNull())
    .addColumn('ends_on', 'text', (c) => c.notNull())
    .addColumn('indemnity_percent', 'double precision', (c) => c.notNull())
    .addColumn('deductible_minor', 'bigint', (c) => c.notNull())
    .addColumn('aggregate_first_loss_minor', 'bigint', (c) => c.notNull())
    .addColumn('max_liability_minor', 'bigint', (c) => c.notNull())
    .addColumn('discretionary_limit_minor', 'bigint', (c) => c.notNull())
    .addColumn('max_extension_days', 'integer', (c) => c.notNull())
    .addColumn('notification_days', 'integer', (c) => c.notNull())
    .addColumn('claim_filing_days', 'integer', (c) => c.notNull())
    .addColumn('premium_rate_percent', 'double precision', (c) => c.notNull())
    .addColumn('excluded_countries', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('insurer_buyer_limits')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('policy_id', 'text', (c) => c.notNull().references('insurance_policies.id'))
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('requested_minor', 'bigint')
    .addColumn('approved_minor', 'bigint')
    .addColumn('effective_on', 'text', (c) => c.notNull())
    .addColumn('reference', 'text')
    .addColumn('note', 'text')
    .addColumn('recorded_by', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('insurer_buyer_limits_customer')
    .on('insurer_buyer_limits')
    .columns(['customer_id', 'effective_on'])
    .execute();
  await db.schema
    .createTable('insurer_notifications')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('policy_id', 'text', (c) => c.notNull().references('insurance_policies.id'))
    .addColumn('invoice_id', 'text', (c) => c.notNull().unique().references('invoices.id'))
    .addColumn('customer_id', 'text', (c) => c.notNull())
    .addColumn('notified_on', 'text', (c) => c.notNull())
    .addColumn('open_minor', 'bigint', (c) => c.notNull())
    .addColumn('recorded_by', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('insurance_claims')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('policy_id', 'text', (c) => c.notNull().references('insurance_policies.id'))
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
    .addColumn('filed_on', 'text', (c) => c.notNull())
    .addColumn('claimed_minor', 'bigint', (c) => c.notNull())
    .addColumn('documents', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('filed', 'accepted', 'rejected', 'paid')`),
    )
    .addColumn('accepted_minor', 'bigint')
    .addColumn('paid_minor', 'bigint')
    .addColumn('paid_on', 'text')
    .addColumn('recovered_minor', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('insurer_recovery_share_minor', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('note', 'text')
    .addColumn('filed_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('insurance_claims_customer')
    .on('insurance_claims')
    .column('customer_id')
    .execute();
}
