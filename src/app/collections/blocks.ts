import type { Selectable } from 'kysely';
import {
  type AccountStanding,
  BLOCK_REASONS,
  type BlockKind,
  type BlockReason,
  type RemovalConditions,
  unmetRemovalConditions,
  validateRemovalConditions,
} from '../../core/collections/blocks.js';
import { requireText } from '../../core/customers/customer.js';
import { DomainError } from '../../core/errors.js';
import type { BusinessDate } from '../../core/time/business-date.js';
import { appendAudit } from '../../store/audit.js';
import type { CustomerBlockTable } from '../../store/schema.js';
import { type Executor, forUpdate } from '../../store/write.js';
import type { Approver } from '../credit/authority.js';
import type { Actor, Services } from '../services.js';

export interface BlockInput {
  readonly kind: BlockKind;
  readonly reasonCode: string;
  readonly note: string;
  readonly conditions?: Partial<RemovalConditions>;
}

/** Unless told otherwise: every overdue invoice paid and six clean months. */
const DEFAULT_CONDITIONS: RemovalConditions = { allOverduePaid: true, monthsClean: 6 };

export function blockRecord(row: Selectable<CustomerBlockTable>) {
  return {
    id: row.id,
    customerId: row.customer_id,
    kind: row.kind as BlockKind,
    reasonCode: row.reason_code,
    note: row.note,
    conditions: JSON.parse(row.conditions_json) as RemovalConditions,
    status: row.status,
    openedBy: row.opened_by,
    openedAt: row.opened_at,
    removedBy: row.removed_by,
    removedAt: row.removed_at,
    removalNote: row.removal_note,
  };
}

async function standingOf(
  executor: Executor,
  customerId: string,
  today: BusinessDate,
): Promise<AccountStanding> {
  const overdue = await executor
    .selectFrom('invoices')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('customer_id', '=', customerId)
    .where('open_minor', '>', 0)
    .where('due_date', '<', today)
    .executeTakeFirstOrThrow();
  const late = await executor
    .selectFrom('invoices')
    .select((eb) => eb.fn.max('settled_on').as('last'))
    .where('customer_id', '=', customerId)
    .whereRef('settled_on', '>', 'due_date')
    .executeTakeFirst();
  return {
    overdueInvoices: Number(overdue.n),
    lastLatePaymentOn: (late?.last as BusinessDate | null | undefined) ?? null,
  };
}

async function setBlacklisted(trx: Executor, customerId: string, blacklisted: boolean, now: string) {
  await trx
    .updateTable('credit_profiles')
    .set({ blacklisted: blacklisted ? 1 : 0, updated_at: now })
    .where('customer_id', '=', customerId)
    .execute();
}

/**
 * Blacklists a customer, or starts their exit: the order check declines every new order from
 * then on (the blacklist flag), while dunning goes on collecting what is open. One active block
 * per customer; its reason and the conditions for lifting it are stated up front.
 */
export async function blockCustomer(services: Services, actor: Actor, customerId: string, input: BlockInput) {
  if (!(BLOCK_REASONS as readonly string[]).includes(input.reasonCode))
    throw new DomainError(
      'invalid_request',
      `reasonCode must be one of ${BLOCK_REASONS.join(', ')}`,
      'reasonCode',
    );
  const conditions = validateRemovalConditions({ ...DEFAULT_CONDITIONS, ...input.conditions });
  const note = requireText(input.note, 'note', 2000);
  const now = services.clock.now().toISOString();
  return services.store.db.transaction().execute(async (trx) => {
    const profile = await forUpdate(
      trx.selectFrom('credit_profiles').select('customer_id').where('customer_id', '=', customerId),
      services.store.dialect,
    ).executeTakeFirst();
    if (!profile) throw new DomainError('customer_not_found', `customer ${customerId} does not exist`);
    const active = await trx
      .selectFrom('customer_blocks')
      .select(['id', 'kind'])
      .where('customer_id', '=', customerId)
      .where('status', '=', 'active')
      .executeTakeFirst();
    if (active)
      throw new DomainError(
        'already_blocked',
        `customer ${customerId} is already blocked (${active.kind} ${active.id})`,
      );
    const row: Selectable<CustomerBlockTable> = {
      id: services.ids.next('blk'),
      customer_id: customerId,
      kind: input.kind,
      reason_code: input.reasonCode as BlockReason,
      note,
      conditions_json: JSON.stringify(conditions),
      status: 'active',
      opened_by: actor,
      opened_at: now,
      removed_by: null,
      removed_at: null,
      removal_note: null,
    };
    await trx.insertInto('customer_blocks').values(row).execute();
    await setBlacklisted(trx, customerId, true, now);
    const record = blockRecord(row);
    await appendAudit(trx, actor, now, [
      {
        action: `customer.${input.kind === 'exit' ? 'exit_started' : 'blacklisted'}`,
        entityType: 'customer',
        entityId: customerId,
        before: null,
        after: record,
      },
    ]);
    return record;
  });
}

/**
 * Lifts a block when its conditions hold today and someone other than whoever blocked approves
 * (the route admits only roles allowed to lift blocks).
 */
export async function removeBlock(
  services: Services,
  approver: Approver,
  blockId: string,
  removalNote: string,
) {
  const note = requireText(removalNote, 'note', 2000);
  const now = services.clock.now().toISOString();
  const today = services.clock.today();
  return services.store.db.transaction().execute(async (trx) => {
    const row = await forUpdate(
      trx.selectFrom('customer_blocks').selectAll().where('id', '=', blockId),
      services.store.dialect,
    ).executeTakeFirst();
    if (!row) throw new DomainError('block_not_found', `block ${blockId} does not exist`);
    if (row.status !== 'active')
      throw new DomainError('block_not_active', `block ${blockId} was already lifted`);
    if (row.opened_by === approver.actor)
      throw new DomainError('four_eyes_violation', 'whoever blocked a customer cannot lift the block');
    const unmet = unmetRemovalConditions(
      blockRecord(row).conditions,
      await standingOf(trx, row.customer_id, today),
      today,
    );
    if (unmet.length > 0)
      throw new DomainError(
        'removal_conditions_unmet',
        `the block cannot be lifted yet: ${unmet.join('; ')}`,
      );
    const after = {
      ...row,
      status: 'removed',
      removed_by: approver.actor,
      removed_at: now,
      removal_note: note,
    };
    await trx
      .updateTable('customer_blocks')
      .set({ status: 'removed', removed_by: approver.actor, removed_at: now, removal_note: note })
      .where('id', '=', blockId)
      .execute();
    await setBlacklisted(trx, row.customer_id, false, now);
    const record = blockRecord(after);
    await appendAudit(trx, approver.actor, now, [
      {
        action: 'customer.block_lifted',
        entityType: 'customer',
        entityId: row.customer_id,
        before: blockRecord(row),
        after: record,
      },
    ]);
    return record;
  });
}

/** A customer's blocks, newest first; an active one shows which lifting conditions are still unmet and what is left to collect. */
export async function customerBlocks(services: Services, customerId: string) {
  const { db } = services.store;
  const today = services.clock.today();
  const rows = await db
    .selectFrom('customer_blocks')
    .selectAll()
    .where('customer_id', '=', customerId)
    .orderBy('opened_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
  const standing = await standingOf(db, customerId, today);
  const open = await db
    .selectFrom('invoices')
    .select(['currency', (eb) => eb.fn.sum<number>('open_minor').as('open')])
    .where('customer_id', '=', customerId)
    .where('open_minor', '>', 0)
    .groupBy('currency')
    .execute();
  return rows.map((row) => {
    const record = blockRecord(row);
    return {
      ...record,
      unmetConditions:
        row.status === 'active' ? unmetRemovalConditions(record.conditions, standing, today) : [],
      // An exit ends when nothing is left to collect.
      openReceivables: open.map((o) => ({ currency: o.currency, openMinor: Number(o.open) })),
    };
  });
}
