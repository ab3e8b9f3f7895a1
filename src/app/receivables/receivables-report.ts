import { sql } from 'kysely';
import { DomainError } from '../../core/errors.js';
import { type CurrencyCode, parseCurrency } from '../../core/money/currency.js';
import {
  AGING_BUCKETS,
  type AgingBuckets,
  bucketBoundaries,
  emptyBuckets,
} from '../../core/receivables/aging.js';
import {
  addMonths,
  averageDaysDelinquent,
  badDebtRatio,
  bestPossibleDso,
  collectionEffectiveness,
  countbackDso,
  daysInMonth,
  monthsBetween,
  simpleDso,
} from '../../core/receivables/dso.js';
import type { LedgerColumns } from '../../core/receivables/ledger-columns.js';
import { type BusinessDate, monthEnd, parseBusinessDate, toEpochDay } from '../../core/time/business-date.js';
import type { Executor } from '../../store/write.js';
import { assertConverted, converter, reportCurrency } from '../credit/fx-rates.js';
import { ledgerColumns, readsColumns } from './ledger-read-model.js';

interface AgingRow {
  currency: string;
  /** The breakdown key (customer id, group id, sales owner) when one is asked for. */
  key: string | null;
  currentMinor: number | null;
  d1to30Minor: number | null;
  d31to60Minor: number | null;
  d61to90Minor: number | null;
  over90Minor: number | null;
}

/**
 * Open amounts per currency and aging bucket as the book stood at the end of `asOf`: invoices
 * issued by then, less the payments applied and credit notes issued by then. Answered from the
 * ledger's dated entries, so a past date shows the past, not today's state.
 */
/** What the book can be broken down by, as the SQL expression that yields the key. */
const BREAKDOWNS = {
  customer: sql`i.customer_id`,
  group: sql`c.group_id`,
  salesOwner: sql`c.sales_owner`,
} as const;
export type AgingBreakdown = keyof typeof BREAKDOWNS;

async function agingByCurrency(
  executor: Executor,
  asOf: BusinessDate,
  currency?: CurrencyCode,
  by?: AgingBreakdown,
): Promise<AgingRow[]> {
  if (readsColumns(executor)) return agingFromColumns(executor, asOf, currency, by);
  const key = by ? BREAKDOWNS[by] : sql`null`;
  const [b0, b1, b2, b3] = bucketBoundaries(asOf).map((b) => b.dueOnOrAfter);
  // On or after the ledger's last dated entry, the book as of the date is the book as it stands:
  // the open-items index answers it without replaying payments and credit notes.
  const current = await bookUnchangedSince(executor, asOf);
  if (current && !by) return currentAging(executor, asOf, currency);
  const open = current
    ? sql<number>`i.open_minor`
    : sql<number>`(i.amount_minor
      - coalesce((select sum(a.amount_minor) from allocations a where a.invoice_id = i.id and a.applied_on <= ${asOf}), 0)
      - coalesce((select sum(c.amount_minor) from credit_notes c where c.invoice_id = i.id and c.issued_on <= ${asOf}), 0))`;
  const openAt = current
    ? sql`i.open_minor > 0`
    : sql`i.issue_date <= ${asOf} and (i.settled_on is null or i.settled_on > ${asOf})`;
  const bucket = (condition: ReturnType<typeof sql>) =>
    sql<number>`sum(case when ${condition} then ${open} else 0 end)`;
  const result = await sql<AgingRow>`
    select i.currency as currency, ${key} as key,
      ${bucket(sql`i.due_date >= ${b0}`)} as "currentMinor",
      ${bucket(sql`i.due_date < ${b0} and i.due_date >= ${b1}`)} as "d1to30Minor",
      ${bucket(sql`i.due_date < ${b1} and i.due_date >= ${b2}`)} as "d31to60Minor",
      ${bucket(sql`i.due_date < ${b2} and i.due_date >= ${b3}`)} as "d61to90Minor",
      ${bucket(sql`i.due_date < ${b3}`)} as "over90Minor"
    from invoices i ${by ? sql`join customers c on c.id = i.customer_id` : sql``}
    where ${openAt}
      ${currency ? sql`and i.currency = ${currency}` : sql``}
    group by i.currency${by ? sql`, ${key}` : sql``}`.execute(executor);
  return result.rows;
}

/**
 * The same rows from the ledger's columns: one pass over the book. The customers' keys are read
 * first and the columns last, then used at once: no refresh half-applied in between.
 */
async function agingFromColumns(
  executor: Executor,
  asOf: BusinessDate,
  only?: CurrencyCode,
  by?: AgingBreakdown,
): Promise<AgingRow[]> {
  const keys: (string | null)[] = [];
  let keyOf: ((customerIndex: number) => number) | undefined;
  if (by === 'customer') keyOf = (c) => c;
  else if (by) {
    const column = by === 'group' ? 'group_id' : 'sales_owner';
    const keyOfCustomer = new Map(
      (await executor.selectFrom('customers').select(['id', column]).execute()).map((c) => [
        c.id,
        c[column as 'group_id'],
      ]),
    );
    const index = new Map<string | null, number>();
    keyOf = (c) => {
      const customerId = columns.customers[c] as string;
      if (!keyOfCustomer.has(customerId)) return -1;
      const key = keyOfCustomer.get(customerId) ?? null;
      let at = index.get(key);
      if (at === undefined) {
        at = keys.length;
        keys.push(key);
        index.set(key, at);
      }
      return at;
    };
  }
  const columns = (await ledgerColumns(executor)) as LedgerColumns;
  return columns
    .aging(toEpochDay(asOf), keyOf)
    .filter((row) => !only || row.currency === only)
    .map((row) => ({
      currency: row.currency,
      key: by === 'customer' ? (columns.customers[row.key] as string) : by ? (keys[row.key] ?? null) : null,
      ...row.buckets,
    }));
}

/**
 * Today's book per currency: five range sums over the open-items aging index (currency, due
 * date) — no grouping, no sort — which is what keeps a million open invoices under 0.2 s.
 */
async function currentAging(
  executor: Executor,
  asOf: BusinessDate,
  only?: CurrencyCode,
): Promise<AgingRow[]> {
  const currencies = only
    ? [only]
    : (
        await executor
          .selectFrom('invoices')
          .select('currency')
          .distinct()
          .where('open_minor', '>', 0)
          .execute()
      ).map((r) => r.currency);
  const [b0, b1, b2, b3] = bucketBoundaries(asOf).map((b) => b.dueOnOrAfter);
  const range = (
    currency: string,
    from: BusinessDate | null | undefined,
    before: BusinessDate | null | undefined,
  ) =>
    sql<number>`(select sum(open_minor) from invoices where open_minor > 0 and currency = ${currency}
      ${from ? sql`and due_date >= ${from}` : sql``} ${before ? sql`and due_date < ${before}` : sql``})`;
  const rows: AgingRow[] = [];
  for (const currency of currencies) {
    const result = await sql<AgingRow>`select ${currency} as currency, null as key,
      ${range(currency, b0, null)} as "currentMinor",
      ${range(currency, b1, b0)} as "d1to30Minor",
      ${range(currency, b2, b1)} as "d31to60Minor",
      ${range(currency, b3, b2)} as "d61to90Minor",
      ${range(currency, null, b3)} as "over90Minor"`.execute(executor);
    rows.push(...result.rows);
  }
  return rows;
}

/** True when no invoice, payment or credit note is dated after `asOf` (three index seeks). */
async function bookUnchangedSince(executor: Executor, asOf: BusinessDate): Promise<boolean> {
  const { rows } = await sql<{ latest: string | null }>`
    select max(d) as latest from (
      select max(issue_date) as d from invoices
      union all select max(applied_on) from allocations
      union all select max(issued_on) from credit_notes) dates`.execute(executor);
  const latest = rows[0]?.latest ?? null;
  return latest === null || latest <= asOf;
}

/** Open disputes as they stood at the end of `asOf`, per currency. */
async function disputedByCurrency(executor: Executor, asOf: BusinessDate, currency?: CurrencyCode) {
  let query = executor
    .selectFrom('disputes')
    .select((eb) => ['currency', eb.fn.sum<number>('amount_minor').as('amount')])
    .where('opened_on', '<=', asOf)
    .where((eb) => eb.or([eb('resolved_on', 'is', null), eb('resolved_on', '>', asOf)]))
    .groupBy('currency');
  if (currency) query = query.where('currency', '=', currency);
  return query.execute();
}

const BREAKDOWN_ROWS_MAX = 500;

/**
 * The whole book's aging (CONTRACT.md), in one currency: that currency's invoices, or all converted
 * to the base. With `by`, also per customer, group or sales owner, largest open amount first.
 */
export async function bookAging(
  executor: Executor,
  asOf: BusinessDate,
  currencyParam?: string,
  by?: AgingBreakdown,
) {
  const only = currencyParam ? parseCurrency(currencyParam, 'currency') : undefined;
  const currency = await reportCurrency(executor, only);
  const rows = await agingByCurrency(executor, asOf, only, by);
  const disputes = await disputedByCurrency(executor, asOf, only);
  const { toTarget, missing } = await converter(executor, asOf, currency, [
    ...rows.map((r) => r.currency),
    ...disputes.map((d) => d.currency),
  ]);
  assertConverted(missing, currency, asOf);
  const disputedMinor = disputes.reduce((sum, d) => sum + toTarget(Number(d.amount), d.currency), 0);
  const buckets: AgingBuckets = emptyBuckets();
  const byKey = new Map<string | null, AgingBuckets>();
  for (const row of rows) {
    const keyed = byKey.get(row.key) ?? emptyBuckets();
    for (const b of AGING_BUCKETS) {
      const amount = toTarget(Number(row[b] ?? 0), row.currency);
      buckets[b] += amount;
      keyed[b] += amount;
    }
    byKey.set(row.key, keyed);
  }
  const total = (x: AgingBuckets) => AGING_BUCKETS.reduce((s, b) => s + x[b], 0);
  const breakdown = by
    ? [...byKey]
        .map(([key, keyed]) => ({ key, buckets: keyed, totalOpenMinor: total(keyed) }))
        .filter((r) => r.totalOpenMinor !== 0)
        .sort((a, b) => b.totalOpenMinor - a.totalOpenMinor)
        .slice(0, BREAKDOWN_ROWS_MAX)
    : undefined;
  return {
    asOf,
    currency,
    buckets,
    totalOpenMinor: total(buckets),
    // Included in the buckets above; shown apart because dunning leaves it alone.
    disputedMinor,
    missingRates: missing,
    ...(breakdown ? { by, breakdown } : {}),
  };
}

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

const round2 = (value: number | null) => (value === null ? null : Math.round(value * 100) / 100);

/** Write-offs (credit notes of kind write_off) per month, converted like the sales. */
async function writeOffsByMonth(
  executor: Executor,
  fromMonth: string,
  to: BusinessDate,
  only: CurrencyCode | undefined,
  toTarget: (amountMinor: number, from: string) => number,
) {
  const rows = await sql<{ month: string; currency: string; amount: number }>`
    select substr(issued_on, 1, 7) as month, currency, sum(amount_minor) as amount
    from credit_notes where kind = 'write_off' and issued_on >= ${`${fromMonth}-01`} and issued_on <= ${to}
      ${only ? sql`and currency = ${only}` : sql``}
    group by substr(issued_on, 1, 7), currency`.execute(executor);
  const byMonth = new Map<string, number>();
  for (const r of rows.rows)
    byMonth.set(r.month, (byMonth.get(r.month) ?? 0) + toTarget(Number(r.amount), r.currency));
  return byMonth;
}
/** Invoiced amounts per `YYYY-MM` month of issue and currency, `from` to `to` inclusive. */
async function creditSalesByMonth(executor: Executor, from: string, to: string, only?: CurrencyCode) {
  const columns = await ledgerColumns(executor);
  if (columns) {
    const monthNumber = (month: string) => Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1;
    const monthText = (n: number) => `${Math.floor(n / 12)}-${String((n % 12) + 1).padStart(2, '0')}`;
    return columns
      .salesByMonth(monthNumber(from), monthNumber(to))
      .filter((r) => !only || r.currency === only)
      .map((r) => ({ month: monthText(r.month), currency: r.currency, sales: r.amountMinor }));
  }
  const { rows } = await sql<{ month: string; currency: string; sales: number }>`
    select substr(issue_date, 1, 7) as month, currency, sum(amount_minor) as sales
    from invoices where issue_date >= ${`${from}-01`} and issue_date <= ${monthEnd(to)}
      ${only ? sql`and currency = ${only}` : sql``}
    group by substr(issue_date, 1, 7), currency`.execute(executor);
  return rows;
}

const MAX_MONTHS = 120;
/** How far back countback may look for sales. */
const COUNTBACK_MONTHS = 24;

/**
 * DSO per month by the simple or the countback method (FORMULAS.md): in one currency (that
 * currency's invoices only) or, without one, the whole book in the base currency.
 */
export async function monthlyDso(
  executor: Executor,
  input: { from: string; to: string; method: 'simple' | 'countback'; currency?: string },
) {
  const only = input.currency ? parseCurrency(input.currency, 'currency') : undefined;
  // A date stands for its month (every other date parameter is YYYY-MM-DD).
  const monthOf = (field: 'from' | 'to') => {
    const value = input[field];
    if (value.length === 10) return parseBusinessDate(value, field).slice(0, 7);
    if (!MONTH.test(value))
      throw new DomainError(
        'invalid_month',
        `${field} must be a month as YYYY-MM (or a date YYYY-MM-DD)`,
        field,
      );
    return value;
  };
  const range = { ...input, from: monthOf('from'), to: monthOf('to') };
  if (range.from > range.to) throw new DomainError('invalid_range', 'from must not be after to', 'from');
  const months = monthsBetween(range.from, range.to);
  if (months.length > MAX_MONTHS)
    throw new DomainError('invalid_range', `at most ${MAX_MONTHS} months at a time`, 'to');
  const firstSalesMonth = addMonths(range.from, 1 - COUNTBACK_MONTHS);
  const salesRows = await creditSalesByMonth(executor, firstSalesMonth, range.to, only);
  const currency = await reportCurrency(executor, only);
  const { toTarget, missing } = await converter(executor, monthEnd(range.to), currency, [
    ...new Set(salesRows.map((r) => r.currency)),
  ]);
  assertConverted(missing, currency, monthEnd(range.to));
  const salesByMonth = new Map<string, number>();
  for (const r of salesRows)
    salesByMonth.set(r.month, (salesByMonth.get(r.month) ?? 0) + toTarget(Number(r.sales), r.currency));
  const writtenOff = await writeOffsByMonth(executor, range.from, monthEnd(range.to), only, toTarget);
  const out = [];
  let opening = (await bookAging(executor, monthEnd(addMonths(range.from, -1)), only)).totalOpenMinor;
  for (const month of months) {
    const aging = await bookAging(executor, monthEnd(month), only);
    const creditSalesMinor = salesByMonth.get(month) ?? 0;
    const days = daysInMonth(month);
    const history = monthsBetween(firstSalesMonth, month)
      .reverse()
      .map((m) => ({ creditSalesMinor: salesByMonth.get(m) ?? 0, days: daysInMonth(m) }));
    const dso =
      range.method === 'simple'
        ? simpleDso(aging.totalOpenMinor, creditSalesMinor, days)
        : countbackDso(aging.totalOpenMinor, history);
    const bestPossible = bestPossibleDso(aging.buckets.currentMinor, creditSalesMinor, days);
    const writtenOffMinor = writtenOff.get(month) ?? 0;
    out.push({
      month,
      dso: round2(dso),
      receivablesMinor: aging.totalOpenMinor,
      creditSalesMinor,
      currentMinor: aging.buckets.currentMinor,
      bestPossibleDso: round2(bestPossible),
      averageDaysDelinquent: round2(averageDaysDelinquent(dso, bestPossible)),
      cei: round2(
        collectionEffectiveness({
          openingMinor: opening,
          creditSalesMinor,
          endingTotalMinor: aging.totalOpenMinor,
          endingCurrentMinor: aging.buckets.currentMinor,
        }),
      ),
      writtenOffMinor,
      badDebtRatio: badDebtRatio(writtenOffMinor, creditSalesMinor),
    });
    opening = aging.totalOpenMinor;
  }
  return { method: range.method, currency, months: out };
}
