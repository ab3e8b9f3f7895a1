import type { Kysely } from 'kysely';

/** Customers' financial statements (A5): one per customer and period end, in minor units. */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and do not use the current schema type
export async function up(db: Kysely<any>): Promise<void> {
  let table = db.schema
    .createTable('financial_statements')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('customer_id', 'text', (c) => c.notNull())
    .addColumn('period_end', 'text', (c) => c.notNull())
    .addColumn('period_months', 'integer', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull());
  for (const column of [
    'current_assets_minor',
    'total_assets_minor',
    'current_liabilities_minor',
    'total_liabilities_minor',
    'equity_minor',
    'retained_earnings_minor',
    'revenue_minor',
    'ebit_minor',
    'net_income_minor',
  ])
    table = table.addColumn(column, 'bigint', (c) => c.notNull());
  await table
    .addColumn('interest_expense_minor', 'bigint')
    .addColumn('inventory_minor', 'bigint')
    .addColumn('recorded_by', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('financial_statements_once', ['customer_id', 'period_end'])
    .execute();
}
