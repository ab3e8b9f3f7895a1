import type { Selectable } from 'kysely';
import { COLLATERAL_KINDS, type CollateralKind, validOn } from '../../core/collateral/collateral.js';
import { requireText } from '../../core/customers/customer.js';
import { DomainError } from '../../core/errors.js';
import { type CurrencyCode, parseCurrency } from '../../core/money/currency.js';
import { addDays, type BusinessDate, daysBetween, parseBusinessDate } from '../../core/time/business-date.js';
import { appendAudit } from '../../store/audit.js';
import type { CollateralTable } from '../../store/schema.js';
import { type Executor, forUpdate } from '../../store/write.js';
import { converter } from '../credit/fx-rates.js';
import type { Actor, Services } from '../services.js';
import { insertOneAudited } from '../write-records.js';

export function collateralRecord(row: Selectable<CollateralTable>) {
  return {
    id: row.id,
    customerId: row.customer_id,
    kind: row.kind as CollateralKind,
    issuer: row.issuer,
    reference: row.reference,
    amountMinor: Number(row.amount_minor),
    currency: row.currency,
    validFrom: row.valid_from,
    expiresOn: row.expires_on,
    releasedOn: row.released_on,
    recordedBy: row.recorded_by,
    recordedAt: row.recorded_at,
  };
}

const securityOf = (row: Selectable<CollateralTable>) => ({
  amountMinor: Number(row.amount_minor),
  validFrom: row.valid_from as BusinessDate,
  expiresOn: row.expires_on as BusinessDate,
  releasedOn: row.released_on as BusinessDate | null,
});

/**
 * Each customer's valid security on `day`, in `currency` (the customer's own, or the report's),
 * everything read by business date: what was recorded as valid then, not released by then.
 */
export async function collateralOn(
  executor: Executor,
  day: BusinessDate,
  currencyOf: (customerId: string) => CurrencyCode,
  customerIds?: readonly string[],
) {
  let query = executor
    .selectFrom('collateral')
    .selectAll()
    .where('valid_from', '<=', day)
    .where('expires_on', '>=', day);
  if (customerIds) query = query.where('customer_id', 'in', customerIds.length ? customerIds : ['']);
  const rows = (await query.execute()).filter((r) => validOn(securityOf(r), day));
  // One converter per target currency, with every security currency it meets, read once.
  const byTarget = new Map<CurrencyCode, string[]>();
  for (const r of rows) {
    const target = currencyOf(r.customer_id);
    byTarget.set(target, [...(byTarget.get(target) ?? []), r.currency]);
  }
  const converters = new Map<CurrencyCode, Awaited<ReturnType<typeof converter>>>();
  for (const [target, currencies] of byTarget)
    converters.set(target, await converter(executor, day, target, [...new Set(currencies)]));
  const secured = new Map<string, number>();
  for (const r of rows) {
    const { toTarget, missing } = converters.get(currencyOf(r.customer_id)) as Awaited<
      ReturnType<typeof converter>
    >;
    if (missing.includes(r.currency)) continue; // not convertible that day: not counted, never guessed
    secured.set(
      r.customer_id,
      (secured.get(r.customer_id) ?? 0) + toTarget(Number(r.amount_minor), r.currency),
    );
  }
  return secured;
}

/** Puts each customer's valid security today on its credit profile (guarantee amount), in its own currency. */
export async function syncGuaranteeProfiles(
  executor: Executor,
  today: BusinessDate,
  customerIds?: readonly string[],
) {
  let query = executor
    .selectFrom('customers')
    .innerJoin('credit_profiles', 'credit_profiles.customer_id', 'customers.id')
    .select(['customers.id', 'customers.currency', 'credit_profiles.guarantee_minor'])
    .where((eb) =>
      eb.or([
        eb('customers.id', 'in', eb.selectFrom('collateral').select('customer_id')),
        eb('credit_profiles.guarantee_minor', 'is not', null),
      ]),
    );
  if (customerIds) query = query.where('customers.id', 'in', customerIds.length ? customerIds : ['']);
  const customers = await query.execute();
  if (customers.length === 0) return 0;
  const currency = new Map(customers.map((c) => [c.id, c.currency as CurrencyCode]));
  const secured = await collateralOn(
    executor,
    today,
    (id) => currency.get(id) as CurrencyCode,
    customers.map((c) => c.id),
  );
  let changed = 0;
  for (const c of customers) {
    const now = secured.get(c.id) ?? null;
    if ((c.guarantee_minor === null ? null : Number(c.guarantee_minor)) === now) continue;
    await executor
      .updateTable('credit_profiles')
      .set({ guarantee_minor: now })
      .where('customer_id', '=', c.id)
      .execute();
    changed += 1;
  }
  return changed;
}

export interface CollateralInput {
  readonly kind: string;
  readonly issuer: string;
  readonly reference: string;
  readonly amountMinor: number;
  readonly currency: string;
  readonly validFrom: string;
  readonly expiresOn: string;
}

/** Records a letter of credit or guarantee held against a customer's debt. */
export async function recordCollateral(
  services: Services,
  actor: Actor,
  customerId: string,
  input: CollateralInput,
) {
  if (!(COLLATERAL_KINDS as readonly string[]).includes(input.kind))
    throw new DomainError('invalid_kind', `kind must be one of ${COLLATERAL_KINDS.join(', ')}`, 'kind');
  if (!(Number.isSafeInteger(input.amountMinor) && input.amountMinor > 0))
    throw new DomainError(
      'invalid_amount',
      'amountMinor must be a whole amount in minor units above 0',
      'amountMinor',
    );
  const validFrom = parseBusinessDate(input.validFrom, 'validFrom');
  const expiresOn = parseBusinessDate(input.expiresOn, 'expiresOn');
  if (expiresOn < validFrom)
    throw new DomainError('invalid_period', 'expiresOn must not be before validFrom', 'expiresOn');
  const { db } = services.store;
  const customer = await db
    .selectFrom('customers')
    .select('id')
    .where('id', '=', customerId)
    .executeTakeFirst();
  if (!customer) throw new DomainError('customer_not_found', `no customer ${customerId}`);
  const now = services.clock.now().toISOString();
  return db.transaction().execute(async (trx) => {
    const record = await insertOneAudited(
      trx,
      'collateral',
      {
        id: services.ids.next('col'),
        customer_id: customer.id,
        kind: input.kind,
        issuer: requireText(input.issuer, 'issuer', 200),
        reference: requireText(input.reference, 'reference', 100),
        amount_minor: input.amountMinor,
        currency: parseCurrency(input.currency, 'currency'),
        valid_from: validFrom,
        expires_on: expiresOn,
        released_on: null,
        recorded_by: actor,
        recorded_at: now,
      },
      collateralRecord,
      { actor, now, action: 'collateral.recorded' },
    );
    await syncGuaranteeProfiles(trx, services.clock.today(), [customer.id]);
    return record;
  });
}

/** Gives a security back (the debt it stood for is paid, or it is replaced): valid no more from today. */
export async function releaseCollateral(services: Services, actor: Actor, id: string) {
  const now = services.clock.now().toISOString();
  const today = services.clock.today();
  return services.store.db.transaction().execute(async (trx) => {
    const before = await forUpdate(
      trx.selectFrom('collateral').selectAll().where('id', '=', id),
      services.store.dialect,
    ).executeTakeFirst();
    if (!before) throw new DomainError('collateral_not_found', `no collateral ${id}`);
    if (before.released_on) throw new DomainError('collateral_released', `released on ${before.released_on}`);
    await trx.updateTable('collateral').set({ released_on: today }).where('id', '=', id).execute();
    const after = { ...before, released_on: today };
    await syncGuaranteeProfiles(trx, today, [before.customer_id]);
    await appendAudit(trx, actor, now, [
      {
        action: 'collateral.released',
        entityType: 'collateral',
        entityId: id,
        before: collateralRecord(before),
        after: collateralRecord(after),
      },
    ]);
    return collateralRecord(after);
  });
}

export async function customerCollateral(executor: Executor, customerId: string) {
  const rows = await executor
    .selectFrom('collateral')
    .selectAll()
    .where('customer_id', '=', customerId)
    .orderBy('expires_on', 'desc')
    .execute();
  return { items: rows.map(collateralRecord) };
}

/** Days before expiry a valid security raises an alert. */
export const COLLATERAL_ALERT_DAYS = 30;

/** The built-in alert for a security about to expire (beside the warning rules). */
export const COLLATERAL_EXPIRY_ALERT = {
  id: 'collateral_expiring',
  severity: 'medium',
  ownerRole: 'credit_analyst',
  slaDays: 7,
  action: 'review',
} as const;

/** The customers with a valid security that expires within `COLLATERAL_ALERT_DAYS` days of `day`. */
export async function collateralExpiryFirings(
  db: Executor,
  day: BusinessDate,
  customerIds?: readonly string[],
) {
  let query = db
    .selectFrom('collateral')
    .selectAll()
    .where('valid_from', '<=', day)
    .where('expires_on', '>=', day)
    .where('expires_on', '<=', addDays(day, COLLATERAL_ALERT_DAYS));
  if (customerIds) query = query.where('customer_id', 'in', customerIds.length ? customerIds : ['']);
  const firing = new Map<string, { securities: number; daysLeft: number }>();
  for (const r of await query.execute()) {
    if (!validOn(securityOf(r), day)) continue;
    const left = daysBetween(day, r.expires_on as BusinessDate);
    const f = firing.get(r.customer_id) ?? { securities: 0, daysLeft: left };
    firing.set(r.customer_id, { securities: f.securities + 1, daysLeft: Math.min(f.daysLeft, left) });
  }
  return firing;
}
