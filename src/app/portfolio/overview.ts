import type { RateLookup } from '../../core/exposure/exposure.js';
import type { CurrencyCode } from '../../core/money/currency.js';
import { convert } from '../../core/money/fx.js';
import { money } from '../../core/money/money.js';
import { type CustomerExposure, portfolioSummary } from '../../core/portfolio/overview.js';
import { addDays, type BusinessDate } from '../../core/time/business-date.js';
import { creditPosition } from '../credit/credit-position.js';
import { BASE_CURRENCY, rateLookupFor } from '../credit/fx-rates.js';
import { CachingReader, storeReader } from '../credit/position-reader.js';
import type { Services } from '../services.js';

const KPI_DAYS = 30;
const LOSS_DAYS = 365;

/** Sums amounts kept per currency in the base currency at the day's rates; unconvertible ones are named. */
function inBase(rows: readonly { currency: string; amount: number }[], rates: RateLookup) {
  let totalMinor = 0;
  const missingRates = new Set<string>();
  for (const row of rows) {
    const currency = row.currency as CurrencyCode;
    const rate = currency === BASE_CURRENCY ? null : rates(currency, BASE_CURRENCY);
    if (currency !== BASE_CURRENCY && !rate) {
      missingRates.add(currency);
      continue;
    }
    totalMinor += rate
      ? convert(money(Math.round(row.amount), currency), BASE_CURRENCY, rate, 'half_up').amountMinor
      : Math.round(row.amount);
  }
  return { totalMinor, missingRates };
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/**
 * The portfolio overview (H1) and the team's KPIs (H4), in the base currency: every customer's
 * limit in force and exposure as the order check sees them today, and what the credit team did
 * over the last 30 days.
 */
export async function portfolioOverview(services: Services) {
  const { db } = services.store;
  const today = services.clock.today();
  const reader = new CachingReader(storeReader(db));
  const customers = await db.selectFrom('customers').select(['id', 'name', 'currency']).execute();
  const currencies = [...new Set(customers.map((c) => c.currency as CurrencyCode))];
  const amounts = await db
    .selectFrom('orders')
    .select('currency')
    .distinct()
    .union(db.selectFrom('invoices').select('currency').distinct())
    .execute();
  for (const a of amounts)
    if (!currencies.includes(a.currency as CurrencyCode)) currencies.push(a.currency as CurrencyCode);
  const rates = await rateLookupFor(
    db,
    today,
    currencies
      .filter((c) => c !== BASE_CURRENCY)
      .map((c) => [c, BASE_CURRENCY] as [CurrencyCode, CurrencyCode]),
  );
  const missing = new Set<string>();
  const exposures: CustomerExposure[] = [];
  for (const c of customers) {
    const p = await creditPosition(reader, c.id, today);
    const base = (amount: number) => {
      const converted = inBase([{ currency: p.currency, amount }], rates);
      for (const m of converted.missingRates) missing.add(m);
      return converted.totalMinor;
    };
    exposures.push({
      customerId: c.id,
      name: c.name,
      riskClass: p.riskClass,
      limitMinor: base(p.limit.totalMinor),
      exposureMinor: base(p.exposure.totalMinor),
      overdueMinor: base(p.overdueMinor),
      blocked: p.blacklisted || p.stopSupply,
    });
  }
  const kpis = await teamKpis(services, today, rates);
  for (const m of kpis.missingRates) missing.add(m);
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
    currency: BASE_CURRENCY,
    ...portfolioSummary(exposures),
    alerts: {
      heldOrders: Number(queue.n),
      pendingLimitRequests: Number(pendingLimits.n),
      openDisputes: Number(openDisputes.n),
      brokenPromises: Number(brokenPromises.n),
    },
    kpis: kpis.values,
    missingRates: [...missing].sort(),
  };
}

async function teamKpis(services: Services, today: BusinessDate, rates: RateLookup) {
  const { db } = services.store;
  const since = `${addDays(today, -KPI_DAYS)}T00:00:00.000Z`;
  const outcomes = await db
    .selectFrom('orders')
    .select(['decision_outcome', (eb) => eb.fn.countAll<number>().as('n')])
    .where('created_at', '>=', since)
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
    .where('created_at', '>=', since)
    .where('credit_minor', '>', 0)
    .groupBy('currency')
    .execute();
  const sales = inBase(
    enabled.map((e) => ({ currency: e.currency, amount: Number(e.amount) })),
    rates,
  );
  const manual = await db
    .selectFrom('orders')
    .select(['created_at', 'decided_at'])
    .where('decided_at', '>=', since)
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
  );
  const sold = inBase(
    invoiced.map((i) => ({ currency: i.currency, amount: Number(i.amount) })),
    rates,
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
