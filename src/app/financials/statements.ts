import type { Selectable } from 'kysely';
import { DomainError } from '../../core/errors.js';
import {
  ratioTrend,
  type Statement,
  type StatementInput,
  statementLimitMinor,
  statementRatios,
  validateStatement,
} from '../../core/financials/statements.js';
import type { AltmanZone } from '../../core/rating/altman.js';
import { addMonths, type BusinessDate } from '../../core/time/business-date.js';
import { appendAudit } from '../../store/audit.js';
import type { FinancialStatementTable } from '../../store/schema.js';
import { chunkOf, type Executor } from '../../store/write.js';
import { type CustomerRef, resolveCustomerIds } from '../receivables/resolve-customers.js';
import { BatchRejected, type RowError } from '../row-errors.js';
import type { Actor, Progress, Services } from '../services.js';

export type NewStatement = StatementInput & CustomerRef;

/** A statement stops counting in the rating this long after its period ended. */
const STATEMENT_MONTHS_VALID = 18;

function statementOf(row: Selectable<FinancialStatementTable>): Statement {
  return {
    periodEnd: row.period_end,
    periodMonths: row.period_months,
    currency: row.currency,
    currentAssetsMinor: Number(row.current_assets_minor),
    totalAssetsMinor: Number(row.total_assets_minor),
    currentLiabilitiesMinor: Number(row.current_liabilities_minor),
    totalLiabilitiesMinor: Number(row.total_liabilities_minor),
    equityMinor: Number(row.equity_minor),
    retainedEarningsMinor: Number(row.retained_earnings_minor),
    revenueMinor: Number(row.revenue_minor),
    ebitMinor: Number(row.ebit_minor),
    netIncomeMinor: Number(row.net_income_minor),
    interestExpenseMinor: row.interest_expense_minor === null ? null : Number(row.interest_expense_minor),
    inventoryMinor: row.inventory_minor === null ? null : Number(row.inventory_minor),
  };
}

/**
 * Records statements (entered or imported) all or nothing, every row checked first; a statement for
 * a period already held replaces it (a restatement), the audit keeping both.
 */
export async function recordStatements(
  services: Services,
  actor: Actor,
  inputs: readonly NewStatement[],
  onProgress?: Progress,
) {
  const errors: RowError[] = [];
  const valid = inputs.map((input, index) => {
    try {
      return validateStatement(input);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      errors.push({ index, field: error.field, code: error.code, message: error.message });
      return null;
    }
  });
  const customerOf = await resolveCustomerIds(services.store.db, inputs);
  const customerIds = inputs.map((input, index) => {
    try {
      return customerOf(input);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      errors.push({ index, field: error.field, code: error.code, message: error.message });
      return null;
    }
  });
  if (errors.length > 0) throw new BatchRejected(errors.sort((a, b) => a.index - b.index));
  const now = services.clock.now().toISOString();
  return services.store.db.transaction().execute(async (trx) => {
    const written: Statement[] = [];
    for (const [index, s] of (valid as Statement[]).entries()) {
      const customerId = customerIds[index] as string;
      const before = await trx
        .selectFrom('financial_statements')
        .selectAll()
        .where('customer_id', '=', customerId)
        .where('period_end', '=', s.periodEnd)
        .executeTakeFirst();
      const row = {
        customer_id: customerId,
        period_end: s.periodEnd,
        period_months: s.periodMonths,
        currency: s.currency,
        current_assets_minor: s.currentAssetsMinor,
        total_assets_minor: s.totalAssetsMinor,
        current_liabilities_minor: s.currentLiabilitiesMinor,
        total_liabilities_minor: s.totalLiabilitiesMinor,
        equity_minor: s.equityMinor,
        retained_earnings_minor: s.retainedEarningsMinor,
        revenue_minor: s.revenueMinor,
        ebit_minor: s.ebitMinor,
        net_income_minor: s.netIncomeMinor,
        interest_expense_minor: s.interestExpenseMinor,
        inventory_minor: s.inventoryMinor,
        recorded_by: actor,
        recorded_at: now,
      };
      if (before)
        await trx.updateTable('financial_statements').set(row).where('id', '=', before.id).execute();
      else
        await trx
          .insertInto('financial_statements')
          .values({ id: services.ids.next('fst'), ...row })
          .execute();
      await appendAudit(trx, actor, now, [
        {
          action: before ? 'financial_statement.restated' : 'financial_statement.recorded',
          entityType: 'customer',
          entityId: customerId,
          before: before ? statementOf(before) : null,
          after: s,
        },
      ]);
      written.push(s);
      onProgress?.(index + 1, inputs.length);
    }
    return written;
  });
}

/** A customer's statements, newest period first, each with its ratios, Z″ zone, trend and the limit it supports. */
export async function customerStatements(executor: Executor, customerId: string) {
  const rows = await executor
    .selectFrom('financial_statements')
    .selectAll()
    .where('customer_id', '=', customerId)
    .orderBy('period_end', 'desc')
    .execute();
  const statements = rows.map(statementOf);
  const ratios = statements.map(statementRatios);
  return {
    items: statements.map((s, k) => ({
      ...s,
      ratios: ratios[k] as ReturnType<typeof statementRatios>,
      trend: ratioTrend(ratios[k] as ReturnType<typeof statementRatios>, ratios[k + 1] ?? null),
      supportedLimitMinor: statementLimitMinor(s),
    })),
  };
}

/** Each customer's Z″ zone from its latest statement still in date (18 months after its period end), for the rating blend. */
export async function statementZones(executor: Executor, today: string, customerIds: readonly string[]) {
  const since = addMonths(today as BusinessDate, -STATEMENT_MONTHS_VALID);
  const zones = new Map<string, AltmanZone>();
  for (const ids of chunkOf([...customerIds], 5_000)) {
    const rows = await executor
      .selectFrom('financial_statements')
      .selectAll()
      .where('customer_id', 'in', ids)
      .where('period_end', '>=', since)
      .where('period_end', '<=', today)
      .orderBy('period_end')
      .execute();
    for (const row of rows) {
      const zone = statementRatios(statementOf(row)).altmanZ?.zone;
      if (zone) zones.set(row.customer_id, zone);
    }
  }
  return zones;
}
