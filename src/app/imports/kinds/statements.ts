import { validateStatement } from '../../../core/financials/statements.js';
import { parseCurrency } from '../../../core/money/currency.js';
import { parseMajorAmount } from '../../../core/money/parse.js';
import type { FinancialStatementTable } from '../../../store/schema.js';
import { chunkOf } from '../../../store/write.js';
import { type NewStatement, recordStatements } from '../../financials/statements.js';
import type { ImportKind } from '../import-kind.js';
import { optional } from '../import-kind.js';
import { snake } from '../run-import.js';

const FIGURES = {
  currentAssetsMinor: 'current_assets',
  totalAssetsMinor: 'total_assets',
  currentLiabilitiesMinor: 'current_liabilities',
  totalLiabilitiesMinor: 'total_liabilities',
  equityMinor: 'equity',
  retainedEarningsMinor: 'retained_earnings',
  revenueMinor: 'revenue',
  ebitMinor: 'ebit',
  netIncomeMinor: 'net_income',
} as const;
const OPTIONAL_FIGURES = { interestExpenseMinor: 'interest_expense', inventoryMinor: 'inventory' } as const;

/** Financial statements (A5), one row a customer and period, amounts in major units of `currency`; a period held already is restated. */
export const statements: ImportKind<NewStatement> = {
  columns: ['customer_external_id', 'period_end', 'currency', ...Object.values(FIGURES)],
  optionalColumns: ['period_months', ...Object.values(OPTIONAL_FIGURES)],
  columnOf: { periodEnd: 'period_end', periodMonths: 'period_months', ...FIGURES, ...OPTIONAL_FIGURES },
  sample: {
    customer_external_id: 'C-1001',
    period_end: '2025-12-31',
    period_months: '12',
    currency: 'CNY',
    current_assets: '48000000.00',
    total_assets: '95000000.00',
    current_liabilities: '30000000.00',
    total_liabilities: '52000000.00',
    equity: '43000000.00',
    retained_earnings: '21000000.00',
    revenue: '160000000.00',
    ebit: '9500000.00',
    net_income: '6200000.00',
    interest_expense: '1800000.00',
    inventory: '15000000.00',
  },
  toInput(r) {
    const currency = parseCurrency(r.currency ?? '', 'currency');
    const figure = (field: string, column: string) => parseMajorAmount(r[column] ?? '', currency, field);
    const months = optional(r.period_months);
    return {
      customerExternalId: r.customer_external_id ?? '',
      periodEnd: r.period_end ?? '',
      ...(months ? { periodMonths: Number(months) } : {}),
      currency,
      ...(Object.fromEntries(Object.entries(FIGURES).map(([f, c]) => [f, figure(f, c)])) as Record<
        keyof typeof FIGURES,
        number
      >),
      ...Object.fromEntries(
        Object.entries(OPTIONAL_FIGURES).map(([f, c]) => [f, optional(r[c]) ? figure(f, c) : null]),
      ),
    };
  },
  check: validateStatement,
  references: [{ column: 'customer_external_id', table: 'customers' }],
  write: recordStatements,
  keyed: {
    keyColumns: ['customer_external_id', 'period_end'],
    keyOf: (s) => `${s.customerExternalId}/${s.periodEnd}`,
    async stored(executor, inputs) {
      const found = new Map<string, NewStatement>();
      for (const ids of chunkOf([...new Set(inputs.map((s) => s.customerExternalId ?? ''))], 5_000)) {
        const rows = await executor
          .selectFrom('financial_statements')
          .innerJoin('customers', 'customers.id', 'financial_statements.customer_id')
          .selectAll('financial_statements')
          .select('customers.external_id')
          .where('customers.external_id', 'in', ids)
          .execute();
        for (const row of rows)
          found.set(`${row.external_id}/${row.period_end}`, {
            customerExternalId: row.external_id,
            periodEnd: row.period_end,
            periodMonths: row.period_months,
            currency: row.currency,
            ...(Object.fromEntries(
              Object.keys(FIGURES).map((f) => [f, Number(row[storedColumn(f)] as number)]),
            ) as Record<keyof typeof FIGURES, number>),
            ...Object.fromEntries(
              Object.keys(OPTIONAL_FIGURES).map((f) => {
                const value = row[storedColumn(f)];
                return [f, value === null ? null : Number(value)];
              }),
            ),
          });
      }
      return found;
    },
    mutable: ['periodMonths', 'currency', ...Object.keys(FIGURES), ...Object.keys(OPTIONAL_FIGURES)],
    immutableWhy: 'a statement is known by its customer and period end',
    update: (services, actor, pairs) =>
      recordStatements(
        services,
        actor,
        pairs.map((p) => p.input),
      ).then(() => {}),
  },
};

/** The column a figure is stored in. */
const storedColumn = (field: string) => snake(field) as keyof FinancialStatementTable;
