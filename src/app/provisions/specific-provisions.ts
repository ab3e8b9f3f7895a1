import type { Selectable } from 'kysely';
import { requireText } from '../../core/customers/customer.js';
import { DomainError } from '../../core/errors.js';
import type { SpecificAssessment } from '../../core/provisions/reserve.js';
import type { BusinessDate } from '../../core/time/business-date.js';
import { appendAudit } from '../../store/audit.js';
import type { SpecificProvisionTable } from '../../store/schema.js';
import { type Executor, forUpdate } from '../../store/write.js';
import type { Actor, Services } from '../services.js';
import { insertOneAudited } from '../write-records.js';

export function specificRecord(row: Selectable<SpecificProvisionTable>) {
  return {
    id: row.id,
    customerId: row.customer_id,
    recoveryRate: Number(row.recovery_rate),
    reason: row.reason,
    status: row.status as 'proposed' | 'approved' | 'rejected' | 'ended',
    proposedBy: row.proposed_by,
    proposedAt: row.proposed_at,
    decidedBy: row.decided_by,
    decidedAt: row.decided_at,
    effectiveOn: row.effective_on,
    endedOn: row.ended_on,
  };
}

/**
 * Proposes an individual assessment of a credit-impaired customer (insolvent, in legal collection,
 * disputed for long): its provision is open × (1 − expected recovery), in place of the matrix,
 * once someone else approves it.
 */
export async function proposeSpecificProvision(
  services: Services,
  actor: Actor,
  input: { customerId: string; recoveryRate: number; reason: string },
) {
  if (!(typeof input.recoveryRate === 'number' && input.recoveryRate >= 0 && input.recoveryRate <= 1))
    throw new DomainError('invalid_rate', 'recoveryRate must be a share from 0 to 1', 'recoveryRate');
  const reason = requireText(input.reason, 'reason', 1000);
  const { db } = services.store;
  const customer = await db
    .selectFrom('customers')
    .select('id')
    .where('id', '=', input.customerId)
    .executeTakeFirst();
  if (!customer) throw new DomainError('customer_not_found', `no customer ${input.customerId}`, 'customerId');
  const now = services.clock.now().toISOString();
  return db.transaction().execute(async (trx) => {
    const pending = await trx
      .selectFrom('specific_provisions')
      .select('id')
      .where('customer_id', '=', customer.id)
      .where('status', '=', 'proposed')
      .executeTakeFirst();
    if (pending)
      throw new DomainError(
        'assessment_pending',
        `assessment ${pending.id} of this customer awaits a decision`,
        'customerId',
      );
    return insertOneAudited(
      trx,
      'specific_provisions',
      {
        id: services.ids.next('spv'),
        customer_id: customer.id,
        recovery_rate: input.recoveryRate,
        reason,
        status: 'proposed',
        proposed_by: actor,
        proposed_at: now,
        decided_by: null,
        decided_at: null,
        effective_on: null,
        ended_on: null,
      },
      specificRecord,
      { actor, now, action: 'specific_provision.proposed' },
    );
  });
}

/**
 * Approves or rejects a proposal (never one's own), or ends an approved assessment (the customer
 * returns to the matrix). An approval takes effect today and ends the customer's earlier one.
 */
export async function decideSpecificProvision(
  services: Services,
  actor: Actor,
  id: string,
  decision: 'approve' | 'reject' | 'end',
) {
  const now = services.clock.now().toISOString();
  const today = services.clock.today();
  return services.store.db.transaction().execute(async (trx) => {
    const before = await forUpdate(
      trx.selectFrom('specific_provisions').selectAll().where('id', '=', id),
      services.store.dialect,
    ).executeTakeFirst();
    if (!before) throw new DomainError('specific_provision_not_found', `no assessment ${id}`);
    const expected = decision === 'end' ? 'approved' : 'proposed';
    if (before.status !== expected)
      throw new DomainError(
        'invalid_transition',
        `a ${before.status} assessment cannot be ${decision}d`,
        'decision',
      );
    if (decision !== 'end' && before.proposed_by === actor)
      throw new DomainError('four_eyes_violation', 'the one who proposed it cannot decide it');
    const changes =
      decision === 'end'
        ? { status: 'ended', ended_on: today }
        : decision === 'approve'
          ? { status: 'approved', decided_by: actor, decided_at: now, effective_on: today }
          : { status: 'rejected', decided_by: actor, decided_at: now };
    if (decision === 'approve')
      await trx
        .updateTable('specific_provisions')
        .set({ status: 'ended', ended_on: today })
        .where('customer_id', '=', before.customer_id)
        .where('status', '=', 'approved')
        .execute();
    await trx.updateTable('specific_provisions').set(changes).where('id', '=', id).execute();
    const after = { ...before, ...changes };
    await appendAudit(trx, actor, now, [
      {
        action: `specific_provision.${decision === 'end' ? 'ended' : `${decision}d`}`,
        entityType: 'specific_provision',
        entityId: id,
        before: specificRecord(before),
        after: specificRecord(after),
      },
    ]);
    return specificRecord(after);
  });
}

/** The approved assessments in effect on `asOf` (by business date), one per customer. */
export async function assessmentsAsOf(executor: Executor, asOf: BusinessDate) {
  const rows = await executor
    .selectFrom('specific_provisions')
    .selectAll()
    .where('effective_on', '<=', asOf)
    .where((eb) => eb.or([eb('ended_on', 'is', null), eb('ended_on', '>', asOf)]))
    .where('status', 'in', ['approved', 'ended'])
    .orderBy('effective_on')
    .execute();
  const byCustomer = new Map<string, SpecificAssessment>();
  for (const r of rows)
    byCustomer.set(r.customer_id, {
      id: r.id,
      customerId: r.customer_id,
      recoveryRate: Number(r.recovery_rate),
      reason: r.reason,
    });
  return byCustomer;
}

export async function listSpecificProvisions(
  executor: Executor,
  filter: { customerId?: string; status?: string } = {},
) {
  let query = executor
    .selectFrom('specific_provisions')
    .innerJoin('customers', 'customers.id', 'specific_provisions.customer_id')
    .selectAll('specific_provisions')
    .select('customers.name as customer_name')
    .orderBy('specific_provisions.proposed_at', 'desc')
    .limit(500);
  if (filter.customerId) query = query.where('specific_provisions.customer_id', '=', filter.customerId);
  if (filter.status) query = query.where('specific_provisions.status', '=', filter.status);
  return {
    items: (await query.execute()).map((r) => ({ ...specificRecord(r), customerName: r.customer_name })),
  };
}
