import { DomainError } from '../../core/errors.js';
import type { RateLookup } from '../../core/exposure/exposure.js';
import { type CurrencyCode, parseCurrency } from '../../core/money/currency.js';
import { convert, type FxRate } from '../../core/money/fx.js';
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

/** Records the day's rate for a pair (a correction on the same day replaces it, audited). */
export async function recordFxRate(services: Services, actor: Actor, input: FxRateInput) {
  const base = parseCurrency(input.base, 'base');
  const quote = parseCurrency(input.quote, 'quote');
  if (base === quote) throw new DomainError('invalid_fx_rate', 'base and quote must differ', 'quote');
  const asOf = parseBusinessDate(input.asOf, 'asOf');
  if (!(Number.isFinite(input.rate) && input.rate > 0))
    throw new DomainError('invalid_fx_rate', 'rate must be > 0', 'rate');
  const now = services.clock.now().toISOString();
  const record = { base, quote, asOf, rate: input.rate };
  await services.store.db.transaction().execute(async (trx) => {
    const before = await trx
      .selectFrom('fx_rates')
      .selectAll()
      .where('base', '=', base)
      .where('quote', '=', quote)
      .where('as_of', '=', asOf)
      .executeTakeFirst();
    await trx
      .insertInto('fx_rates')
      .values({ base, quote, as_of: asOf, rate: input.rate, created_at: now })
      .onConflict((oc) =>
        oc.columns(['base', 'quote', 'as_of']).doUpdateSet({ rate: input.rate, created_at: now }),
      )
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
  });
  return record;
}

/** The company's base currency: rates are quoted against it, and cross rates go through it. */
export const BASE_CURRENCY = 'CNY' as CurrencyCode;

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
  return converterTo(rates, target);
}
