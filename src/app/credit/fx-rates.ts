import { DomainError } from '../../core/errors.js';
import type { RateLookup } from '../../core/exposure/exposure.js';
import { type CurrencyCode, parseCurrency } from '../../core/money/currency.js';
import type { FxRate } from '../../core/money/fx.js';
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

/** The latest rate on or before `day` for each pair asked, in either direction. */
export async function rateLookupFor(
  executor: Executor,
  day: BusinessDate,
  pairs: readonly [CurrencyCode, CurrencyCode][],
): Promise<RateLookup> {
  const found = new Map<string, FxRate>();
  for (const [from, to] of pairs) {
    if (from === to || found.has(`${from}/${to}`)) continue;
    const row = await executor
      .selectFrom('fx_rates')
      .selectAll()
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
    if (row)
      found.set(`${from}/${to}`, {
        base: row.base as CurrencyCode,
        quote: row.quote as CurrencyCode,
        rate: row.rate,
      });
  }
  return (from, to) => found.get(`${from}/${to}`) ?? null;
}
