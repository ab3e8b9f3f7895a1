import { requireText } from '../../core/customers/customer.js';
import { DomainError } from '../../core/errors.js';
import { type Severity, severityRank } from '../../core/monitoring/warning-rules.js';
import { appendAudit } from '../../store/audit.js';
import type { Actor, Services } from '../services.js';

/** Puts a customer on the watchlist with the reason (D2); on it already, the reason is replaced. Audited. */
export async function watchCustomer(services: Services, actor: Actor, customerId: string, reason: string) {
  const why = requireText(reason, 'reason', 500);
  const now = services.clock.now().toISOString();
  return services.store.db.transaction().execute(async (trx) => {
    const customer = await trx
      .selectFrom('customers')
      .select('id')
      .where('id', '=', customerId)
      .executeTakeFirst();
    if (!customer)
      throw new DomainError('customer_not_found', `customer ${customerId} does not exist`, 'customerId');
    const before = await trx
      .selectFrom('watchlist')
      .selectAll()
      .where('customer_id', '=', customerId)
      .executeTakeFirst();
    const row = { customer_id: customerId, reason: why, added_by: actor, added_at: now };
    await trx
      .insertInto('watchlist')
      .values(row)
      .onConflict((oc) =>
        oc.column('customer_id').doUpdateSet({ reason: why, added_by: actor, added_at: now }),
      )
      .execute();
    await appendAudit(trx, actor, now, [
      {
        action: 'watchlist.added',
        entityType: 'customer',
        entityId: customerId,
        before: before ?? null,
        after: row,
      },
    ]);
    return { customerId, reason: why, addedBy: actor, addedAt: now };
  });
}

/** Takes a customer off the watchlist, audited. */
export async function unwatchCustomer(services: Services, actor: Actor, customerId: string) {
  const now = services.clock.now().toISOString();
  await services.store.db.transaction().execute(async (trx) => {
    const before = await trx
      .selectFrom('watchlist')
      .selectAll()
      .where('customer_id', '=', customerId)
      .executeTakeFirst();
    if (!before) throw new DomainError('not_watched', `customer ${customerId} is not on the watchlist`);
    await trx.deleteFrom('watchlist').where('customer_id', '=', customerId).execute();
    await appendAudit(trx, actor, now, [
      { action: 'watchlist.removed', entityType: 'customer', entityId: customerId, before, after: null },
    ]);
  });
}

/** The watchlist with each customer's name, open exposure and worst live alert, the gravest first. */
export async function listWatchlist(services: Services) {
  const { db } = services.store;
  const rows = await db
    .selectFrom('watchlist as w')
    .innerJoin('customers as c', 'c.id', 'w.customer_id')
    .select(['w.customer_id', 'c.name', 'c.currency', 'w.reason', 'w.added_by', 'w.added_at'])
    .orderBy('w.added_at', 'desc')
    .execute();
  const ids = rows.map((r) => r.customer_id);
  const alerts =
    ids.length === 0
      ? []
      : await db
          .selectFrom('alerts')
          .select(['customer_id', 'severity'])
          .where('customer_id', 'in', ids)
          .where('state', 'in', ['open', 'acknowledged'])
          .execute();
  const worst = new Map<string, Severity>();
  for (const a of alerts) {
    const known = worst.get(a.customer_id);
    if (!known || severityRank(a.severity as Severity) > severityRank(known))
      worst.set(a.customer_id, a.severity as Severity);
  }
  const exposure =
    ids.length === 0
      ? []
      : await db
          .selectFrom('exposure_balances')
          .select(['customer_id', (eb) => eb.fn.sum<number>('receivables_minor').as('open')])
          .where('customer_id', 'in', ids)
          .groupBy('customer_id')
          .execute();
  const openOf = new Map(exposure.map((e) => [e.customer_id, Number(e.open ?? 0)]));
  const items = rows.map((r) => ({
    customerId: r.customer_id,
    customerName: r.name,
    currency: r.currency,
    reason: r.reason,
    addedBy: r.added_by,
    addedAt: r.added_at,
    openMinor: openOf.get(r.customer_id) ?? 0,
    worstAlert: worst.get(r.customer_id) ?? null,
  }));
  const rank = (s: Severity | null) => (s ? severityRank(s) : -1);
  return { items: items.sort((a, b) => rank(b.worstAlert) - rank(a.worstAlert)) };
}
