import type { Selectable } from 'kysely';
import { type HoldInput, type HoldKind, holdsOn, validateHold } from '../../core/collections/dunning-hold.js';
import { DomainError } from '../../core/errors.js';
import type { BusinessDate } from '../../core/time/business-date.js';
import { appendAudit } from '../../store/audit.js';
import type { DunningHoldTable } from '../../store/schema.js';
import { type Executor, forUpdate } from '../../store/write.js';
import type { Actor, Services } from '../services.js';
import { insertOneAudited } from '../write-records.js';
import { assertCustomerExists } from './contacts.js';

export function holdRecord(row: Selectable<DunningHoldTable>, today: BusinessDate) {
  return {
    id: row.id,
    customerId: row.customer_id,
    kind: row.kind as HoldKind,
    agency: row.agency,
    until: row.until,
    reason: row.reason,
    createdBy: row.created_by,
    createdAt: row.created_at,
    liftedBy: row.lifted_by,
    liftedAt: row.lifted_at,
    active: holdsOn({ until: row.until, liftedAt: row.lifted_at }, today),
  };
}

/**
 * Holds a customer's dunning (E2): paused to a date, or handed to a collection agency. The dunning
 * run takes no step for the customer while it holds; one hold at a time (lift it to change it).
 */
export async function holdDunning(services: Services, actor: Actor, customerId: string, input: HoldInput) {
  const today = services.clock.today();
  const hold = validateHold(input, today);
  const now = services.clock.now().toISOString();
  return services.store.db.transaction().execute(async (trx) => {
    await assertCustomerExists(trx, customerId);
    if ((await activeHolds(trx, today, customerId)).size > 0)
      throw new DomainError('already_held', "the customer's dunning is already held: lift that hold first");
    const row: Selectable<DunningHoldTable> = {
      id: services.ids.next('hld'),
      customer_id: customerId,
      kind: hold.kind,
      agency: hold.agency,
      until: hold.until,
      reason: hold.reason,
      created_by: actor,
      created_at: now,
      lifted_by: null,
      lifted_at: null,
    };
    return insertOneAudited(trx, 'dunning_holds', row, (r) => holdRecord(r, today), {
      actor,
      now,
      action: hold.kind === 'agency' ? 'dunning_hold.handed_to_agency' : 'dunning_hold.paused',
    });
  });
}

/** Lifts a hold: dunning picks the customer up at its next run. */
export async function liftDunningHold(services: Services, actor: Actor, holdId: string) {
  const today = services.clock.today();
  const now = services.clock.now().toISOString();
  return services.store.db.transaction().execute(async (trx) => {
    const before = await forUpdate(
      trx.selectFrom('dunning_holds').selectAll().where('id', '=', holdId),
      services.store.dialect,
    ).executeTakeFirst();
    if (!before) throw new DomainError('hold_not_found', `dunning hold ${holdId} does not exist`);
    if (!holdsOn({ until: before.until, liftedAt: before.lifted_at }, today))
      throw new DomainError('hold_not_active', `dunning hold ${holdId} no longer holds`);
    const after = { ...before, lifted_by: actor, lifted_at: now };
    await trx
      .updateTable('dunning_holds')
      .set({ lifted_by: actor, lifted_at: now })
      .where('id', '=', holdId)
      .execute();
    await appendAudit(trx, actor, now, [
      {
        action: 'dunning_hold.lifted',
        entityType: 'dunning_hold',
        entityId: holdId,
        before: holdRecord(before, today),
        after: holdRecord(after, today),
      },
    ]);
    return holdRecord(after, today);
  });
}

/** The customers (of those given, or all) whose dunning holds on `day`. */
export async function activeHolds(executor: Executor, day: BusinessDate, customerId?: string) {
  let query = executor
    .selectFrom('dunning_holds')
    .select(['id', 'customer_id', 'kind', 'agency', 'until'])
    .where('lifted_at', 'is', null)
    .where((eb) => eb.or([eb('until', 'is', null), eb('until', '>=', day)]));
  if (customerId) query = query.where('customer_id', '=', customerId);
  return new Map((await query.execute()).map((h) => [h.customer_id, h]));
}

export async function listHolds(
  executor: Executor,
  today: BusinessDate,
  filter: { customerId?: string; active?: boolean },
) {
  let query = executor.selectFrom('dunning_holds').selectAll().orderBy('created_at', 'desc').limit(500);
  if (filter.customerId) query = query.where('customer_id', '=', filter.customerId);
  const rows = (await query.execute()).map((row) => holdRecord(row, today));
  return filter.active === undefined ? rows : rows.filter((h) => h.active === filter.active);
}
