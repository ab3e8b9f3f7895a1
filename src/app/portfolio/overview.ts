import { exposureIn, type RateLookup } from '../../core/exposure/exposure.js';
import { groupBy } from '../../core/group-by.js';
import type { CurrencyCode } from '../../core/money/currency.js';
import { type CustomerExposure, portfolioSummary } from '../../core/portfolio/overview.js';
import type { RiskClass } from '../../core/rating/risk-class.js';
import { median } from '../../core/statistics/quantile.js';
import { addDays, type BusinessDate } from '../../core/time/business-date.js';
import type { Dialect } from '../../store/db.js';
import { inIdSet } from '../../store/id-set.js';
import type { Executor } from '../../store/write.js';
import { limitFromRows } from '../credit/credit-position.js';
import { assertConverted, converterTo, rateLookupFor, reportCurrency } from '../credit/fx-rates.js';
import { LIMIT_COLUMNS } from '../credit/position-reader.js';
import type { Services } from '../services.js';

const KPI_DAYS = 30;
const LOSS_DAYS = 365;

/** Sums amounts kept per currency in the base currency at the day's rates; unconvertible ones are named. */
function inBase(
  rows: readonly { currency: string; amount: number }[],
  rates: RateLookup,
  target: CurrencyCode,
) {
  const { toTarget, missing } = converterTo(rates, target, 'half_up');
  const totalMinor = rows.reduce((sum, row) => sum + toTarget(Math.round(row.amount), row.currency), 0);
  return { totalMinor, missingRates: missing };
}

/**
 * The portfolio overview (H1) and the team's KPIs (H4), in the base currency: every customer's
 * limit in force and exposure as the order check sees them today, and what the credit team did
 * over the last 30 days.
 */
export async function portfolioOverview(services: Services) {
  const { db } = services.store;
  const { today, target, rates, exposures, missing } = await bookExposures(services);
  const kpis = await teamKpis(services, today, rates, target);
  for (const m of kpis.missingRates) missing.add(m);
  assertConverted([...missing], target, today);
  return overviewOf(db, today, target, exposures, kpis.values);
}

/** A customer's place in the book: its exposure, and what concentration and cover need besides. */
export interface BookExposure extends CustomerExposure {
  readonly groupId: string | null;
  readonly ratingGrade: number | null;
  readonly insuredMinor: number;
}

export interface OwnCurrencyPosition {
  readonly limitMinor: number;
  readonly exposure: ReturnType<typeof exposureIn>;
}

/**
 * Each customer's limit in force and exposure today in its own currency, as the order check sees
 * them (limitFromRows, exposureIn), read in bulk: three queries for the whole book. The rates cover
 * every pair among the customers' currencies, their balances' and `alsoConvertTo`.
 */
export async function ownCurrencyPositions(
  db: Executor,
  today: BusinessDate,
  customers: readonly { id: string; currency: string }[],
  alsoConvertTo: readonly CurrencyCode[] = [],
  /** Given: read only these customers' limits and balances (a few of a large book). */
  onlyThese?: Dialect,
) {
  const ids = customers.map((c) => c.id);
  // Filtered by status only: one pass over the table, where the subject index would be walked for
  // every customer's row (five times slower on 50,000 limits); groups' limits are dropped here.
  const limits = groupBy(
    (
      await db
        .selectFrom('credit_limits')
        .select(['subject_type', 'subject_id', ...LIMIT_COLUMNS])
        .where('status', '=', 'active')
        .$if(onlyThese !== undefined, (q) => q.where(inIdSet('subject_id', ids, onlyThese as Dialect)))
        .execute()
    ).filter((r) => r.subject_type === 'customer'),
    (r) => r.subject_id,
  );
  const balances = groupBy(
    await db
      .selectFrom('exposure_balances')
      .selectAll()
      .$if(onlyThese !== undefined, (q) => q.where(inIdSet('customer_id', ids, onlyThese as Dialect)))
      .execute(),
    (r) => r.customer_id,
  );
  const currencies = new Set<CurrencyCode>(alsoConvertTo);
  for (const c of customers) currencies.add(c.currency as CurrencyCode);
  for (const rows of balances.values()) for (const b of rows) currencies.add(b.currency as CurrencyCode);
  const pairs = [...currencies].flatMap((a) =>
    [...currencies].filter((b) => b !== a).map((b) => [a, b] as [CurrencyCode, CurrencyCode]),
  );
  const rates = await rateLookupFor(db, today, pairs);
  const positions = new Map<string, OwnCurrencyPosition>(
    customers.map((c) => [
      c.id,
      {
        limitMinor: limitFromRows(limits.get(c.id) ?? [], today).limit.totalMinor,
        exposure: exposureIn(
          c.currency as CurrencyCode,
          (balances.get(c.id) ?? []).map((b) => ({
            currency: b.currency as CurrencyCode,
            receivablesMinor: b.receivables_minor,
            openOrdersMinor: b.open_orders_minor,
            shippedMinor: b.shipped_minor,
          })),
          rates,
        ),
      },
    ]),
  );
  return { rates, positions };
}

/**
 * Every customer's limit in force and exposure as the order check sees them today, in the report
 * currency, with what an insurer would pay of it. Read in bulk — a handful of queries for the
 * whole book — and computed with the same rules as the order check's position (limitFromRows,
 * exposureIn); currencies without a rate are named in `missing`.
 */
export async function bookExposures(services: Services) {
  const { db } = services.store;
  const today = services.clock.today();
  const customers = await db
    .selectFrom('customers')
    .innerJoin('credit_profiles', 'credit_profiles.customer_id', 'customers.id')
    .select([
      'customers.id',
      'customers.name',
      'customers.currency',
      'credit_profiles.risk_class',
      'credit_profiles.blacklisted',
      'credit_profiles.stop_supply',
      'customers.group_id',
      'credit_profiles.rating_grade',
      'credit_profiles.insured_limit_minor',
      'credit_profiles.insured_coverage_percent',
    ])
    .execute();
  const overdue = groupBy(
    await db
      .selectFrom('invoices')
      .select(['customer_id', 'currency', (eb) => eb.fn.sum<number>('open_minor').as('open')])
      .where('open_minor', '>', 0)
      .where('due_date', '<', today)
      .groupBy(['customer_id', 'currency'])
      .execute(),
    (r) => r.customer_id,
  );
  const target = await reportCurrency(db);
  const { rates, positions } = await ownCurrencyPositions(db, today, customers, [target]);
  const missing = new Set<string>();
  const base = (rows: { currency: string; amount: number }[]) => {
    const converted = inBase(rows, rates, target);
    for (const m of converted.missingRates) missing.add(m);
    return converted.totalMinor;
  };
  const exposures: BookExposure[] = customers.map((c) => {
    const currency = c.currency as CurrencyCode;
    const { limitMinor: limit, exposure } = positions.get(c.id) as OwnCurrencyPosition;
    for (const m of exposure.missingRates) missing.add(m);
    return {
      customerId: c.id,
      name: c.name,
      riskClass: c.risk_class as RiskClass,
      limitMinor: base([{ currency, amount: limit }]),
      exposureMinor: base([{ currency, amount: exposure.totalMinor }]),
      overdueMinor: base(
        (overdue.get(c.id) ?? []).map((o) => ({ currency: o.currency, amount: Number(o.open) })),
      ),
      blocked: c.blacklisted === 1 || c.stop_supply === 1,
      groupId: c.group_id,
      ratingGrade: c.rating_grade,
      // What an insurer would pay of it: the insured part of the exposure at the policy's cover.
      insuredMinor: base([
        {
          currency,
          amount:
            Math.min(c.insured_limit_minor ?? 0, exposure.totalMinor) *
            ((c.insured_coverage_percent ?? 0) / 100),
        },
      ]),
    };
  });
  return { today, target, rates, exposures, missing };
}

/** The overview from the book's exposures: the summary, what waits, the team's KPIs. */
async function overviewOf(
  db: Services['store']['db'],
  today: BusinessDate,
  target: CurrencyCode,
  exposures: readonly CustomerExposure[],
  kpis: Awaited<ReturnType<typeof teamKpis>>['values'],
) {
  const [queue, pendingLimits, openDisputes, brokenPromises] = await Promise.all([
    db
      .selectFrom('orders')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('status', '=', 'held')
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('limit_requests')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('status', '=', 'pending')
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('disputes')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('status', '=', 'open')
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('payment_promises')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('status', '=', 'broken')
      .executeTakeFirstOrThrow(),
  ]);
  return {
    asOf: today,
    currency: target,
    ...portfolioSummary(exposures),
    alerts: {
      heldOrders: Number(queue.n),
      pendingLimitRequests: Number(pendingLimits.n),
      openDisputes: Number(openDisputes.n),
      brokenPromises: Number(brokenPromises.n),
    },
    kpis,
    // Always empty: an overview that could not convert is refused (missing_fx_rates) instead.
    missingRates: [],
  };
}

async function teamKpis(services: Services, today: BusinessDate, rates: RateLookup, target: CurrencyCode) {
  const { db } = services.store;
  // By business date: an order imported or seeded today for last year counts last year.
  const since = addDays(today, -KPI_DAYS);
  const outcomes = await db
    .selectFrom('orders')
    .select(['decision_outcome', (eb) => eb.fn.countAll<number>().as('n')])
    .where('ordered_on', '>=', since)
    .where('decision_outcome', 'is not', null)
    .groupBy('decision_outcome')
    .execute();
  const decided = outcomes.reduce((sum, o) => sum + Number(o.n), 0);
  const approved = outcomes
    .filter((o) => o.decision_outcome === 'approve' || o.decision_outcome === 'approve_with_conditions')
    .reduce((sum, o) => sum + Number(o.n), 0);
  const enabled = await db
    .selectFrom('orders')
    .select(['currency', (eb) => eb.fn.sum<number>('credit_minor').as('amount')])
    .where('ordered_on', '>=', since)
    .where('credit_minor', '>', 0)
    .groupBy('currency')
    .execute();
  const sales = inBase(
    enabled.map((e) => ({ currency: e.currency, amount: Number(e.amount) })),
    rates,
    target,
  );
  const manual = await db
    .selectFrom('orders')
    .select(['created_at', 'decided_at'])
    .where('decided_at', '>=', `${since}T00:00:00.000Z`)
    .execute();
  const hours = manual
    .filter((o) => o.decided_at)
    .map((o) => (Date.parse(o.decided_at as string) - Date.parse(o.created_at)) / 3_600_000);
  const lossSince = addDays(today, -LOSS_DAYS);
  const written = await db
    .selectFrom('credit_notes')
    .select(['currency', (eb) => eb.fn.sum<number>('amount_minor').as('amount')])
    .where('kind', '=', 'write_off')
    .where('issued_on', '>', lossSince)
    .groupBy('currency')
    .execute();
  const invoiced = await db
    .selectFrom('invoices')
    .select(['currency', (eb) => eb.fn.sum<number>('amount_minor').as('amount')])
    .where('issue_date', '>', lossSince)
    .groupBy('currency')
    .execute();
  const loss = inBase(
    written.map((w) => ({ currency: w.currency, amount: Number(w.amount) })),
    rates,
    target,
  );
  const sold = inBase(
    invoiced.map((i) => ({ currency: i.currency, amount: Number(i.amount) })),
    rates,
    target,
  );
  return {
    values: {
      days: KPI_DAYS,
      ordersDecided: decided,
      approvalRate: decided > 0 ? approved / decided : null,
      salesEnabledMinor: sales.totalMinor,
      manualDecisions: hours.length,
      medianTurnaroundHours: median(hours),
      lossRate12m: sold.totalMinor > 0 ? loss.totalMinor / sold.totalMinor : null,
    },
    missingRates: [...sales.missingRates, ...loss.missingRates, ...sold.missingRates],
  };
}
