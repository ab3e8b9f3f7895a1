import { sql } from 'kysely';
import { DomainError } from '../../core/errors.js';
import type { RateLookup } from '../../core/exposure/exposure.js';
import { type CurrencyCode, parseCurrency } from '../../core/money/currency.js';
import { convert, type FxRate, MAX_FX_RATE, MIN_FX_RATE } from '../../core/money/fx.js';
import { money } from '../../core/money/money.js';
import type { RoundingMode } from '../../core/money/rounding.js';
import { type BusinessDate, parseBusinessDate } from '../../core/time/business-date.js';
import { appendAudit } from '../../store/audit.js';
import type { Executor } from '../../store/write.js';
import type { Actor, Services } from '../services.js';

export interface FxRateInput {
  readonly base: string;
  readonly quote: string;
  readonly asOf: string;
  readonly rate: number;
}

/** A rate's fields checked: both currencies, different, a real day, a rate within bounds. */
export function validateFxRate(input: FxRateInput) {
  const base = parseCurrency(input.base, 'base');
  const quote = parseCurrency(input.quote, 'quote');
  if (base === quote) throw new DomainError('invalid_fx_rate', 'base and quote must differ', 'quote');
  const asOf = parseBusinessDate(input.asOf, 'asOf');
  if (!(Number.isFinite(input.rate) && input.rate >= MIN_FX_RATE && input.rate <= MAX_FX_RATE))
    throw new DomainError(
      'invalid_fx_rate',
      `rate must be between ${MIN_FX_RATE} and ${MAX_FX_RATE}`,
      'rate',
    );
  return { base, quote, asOf, rate: input.rate };
}

/** Records the day's rate for a pair in the caller's transaction (a correction on the same day replaces it, audited). */
export async function writeFxRate(trx: Executor, actor: Actor, now: string, input: FxRateInput) {
  const record = validateFxRate(input);
  const { base, quote, asOf, rate } = record;
  const before = await trx
    .selectFrom('fx_rates')
    .selectAll()
    .where('base', '=', base)
    .where('quote', '=', quote)
    .where('as_of', '=', asOf)
    .executeTakeFirst();
  await trx
    .insertInto('fx_rates')
    .values({ base, quote, as_of: asOf, rate, created_at: now })
    .onConflict((oc) => oc.columns(['base', 'quote', 'as_of']).doUpdateSet({ rate, created_at: now }))
    .execute();
  await appendAudit(trx, actor, now, [
    {
      action: 'fx_rate.recorded',
      entityType: 'fx_rate',
      entityId: `${base}/${quote}/${asOf}`,
      before: before ? { base, quote, asOf, rate: before.rate } : null,
      after: record,
    },
  ]);
  return record;
}

/** Records rates all in one transaction. */
export async function recordFxRates(services: Services, actor: Actor, inputs: readonly FxRateInput[]) {
  const now = services.clock.now().toISOString();
  return services.store.db.transaction().execute(async (trx) => {
    const written = [];
    for (const input of inputs) written.push(await writeFxRate(trx, actor, now, input));
    return written;
  });
}

export async function recordFxRate(services: Services, actor: Actor, input: FxRateInput) {
  const now = services.clock.now().toISOString();
  return services.store.db.transaction().execute((trx) => writeFxRate(trx, actor, now, input));
}

/**
 * The company's base currency (`FULCRUM_BASE_CURRENCY`, default CNY): rates are quoted against it,
 * cross rates go through it, and reports over a book in several currencies are in it.
 */
export const BASE_CURRENCY = parseCurrency(
  process.env.FULCRUM_BASE_CURRENCY || 'CNY',
  'FULCRUM_BASE_CURRENCY',
);

/**
 * The currency a report is in when the caller names none: the book's own when all its customers
 * and invoices are in one currency (a book imported in USD reads in USD), else the base currency.
 */
export async function reportCurrency(executor: Executor, requested?: string): Promise<CurrencyCode> {
  if (requested) return parseCurrency(requested, 'currency');
  // One currency in use when the smallest and the largest agree (each an index seek, migration 044).
  const { rows } = await sql<Record<string, string | null>>`select
      (select min(currency) from customers) as a, (select max(currency) from customers) as b,
      (select min(currency) from invoices) as c, (select max(currency) from invoices) as d`.execute(executor);
  const used = new Set(Object.values(rows[0] ?? {}).filter((c) => c !== null));
  return used.size === 1 ? ([...used][0] as CurrencyCode) : BASE_CURRENCY;
}

/**
 * A total that could not convert some amounts is no total: refuse it, naming the currencies
 * without a rate, rather than answer figures that silently leave them out.
 */
export function assertConverted(missing: readonly string[], target: CurrencyCode, day: BusinessDate): void {
  if (missing.length === 0) return;
  throw new DomainError(
    'missing_fx_rates',
    `no exchange rate into ${target} on or before ${day} for ${[...missing].sort().join(', ')}: record one (POST /v1/fx-rates), or ask for one currency (currency=…)`,
    'currency',
  );
}

/** Units of `to` per unit of `from`, from a stored rate in either direction. */
function directRate(row: { base: string; rate: number } | undefined, from: CurrencyCode): number | null {
  if (!row) return null;
  return row.base === from ? row.rate : 1 / row.rate;
}

/**
 * The latest rate on or before `day` for each pair asked, in either direction; a pair with no
 * rate of its own (USD/EUR) is crossed through the base currency (USD/CNY × CNY/EUR).
 */
export async function rateLookupFor(
  executor: Executor,
  day: BusinessDate,
  pairs: readonly [CurrencyCode, CurrencyCode][],
): Promise<RateLookup> {
  const found = new Map<string, FxRate>();
  const latest = async (from: CurrencyCode, to: CurrencyCode) => {
    const row = await executor
      .selectFrom('fx_rates')
      .select(['base', 'rate'])
      .where((eb) =>
        eb.or([
          eb.and([eb('base', '=', from), eb('quote', '=', to)]),
          eb.and([eb('base', '=', to), eb('quote', '=', from)]),
        ]),
      )
      .where('as_of', '<=', day)
      .orderBy('as_of', 'desc')
      .limit(1)
      .executeTakeFirst();
    return directRate(row, from);
  };
  for (const [from, to] of pairs) {
    if (from === to || found.has(`${from}/${to}`)) continue;
    let rate = await latest(from, to);
    if (rate === null && from !== BASE_CURRENCY && to !== BASE_CURRENCY) {
      const toBase = await latest(from, BASE_CURRENCY);
      const fromBase = toBase === null ? null : await latest(BASE_CURRENCY, to);
      rate = toBase !== null && fromBase !== null ? toBase * fromBase : null;
    }
    if (rate !== null) found.set(`${from}/${to}`, { base: from, quote: to, rate });
  }
  return (from, to) => found.get(`${from}/${to}`) ?? null;
}

/**
 * Amounts in any currency into `target` with the given rates: unconvertible ones count as 0 and
 * their currencies are named in `missing`, so a report can say what it left out.
 */
export function converterTo(rates: RateLookup, target: CurrencyCode, mode: RoundingMode = 'half_even') {
  const missing: string[] = [];
  const toTarget = (amountMinor: number, from: string) => {
    if (from === target || amountMinor === 0) return amountMinor;
    const rate = rates(from as CurrencyCode, target);
    if (!rate) {
      if (!missing.includes(from)) missing.push(from);
      return 0;
    }
    return convert(money(amountMinor, from as CurrencyCode), target, rate, mode).amountMinor;
  };
  return { toTarget, missing };
}

/** The same, reading the day's rates from each currency to `target`. */
export async function converter(
  executor: Executor,
  day: BusinessDate,
  target: CurrencyCode,
  currencies: readonly string[],
) {
  const rates = await rateLookupFor(
    executor,
    day,
    currencies.map((c) => [c as CurrencyCode, target]),
  );
  const converted = converterTo(rates, target);
  // Named at once, not only once an amount fails, so a report can refuse before it sums.
  for (const c of new Set(currencies))
    if (c !== target && !rates(c as CurrencyCode, target)) converted.missing.push(c);
  return converted;
}
