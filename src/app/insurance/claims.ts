import type { Selectable } from 'kysely';
import { requireText } from '../../core/customers/customer.js';
import { DomainError } from '../../core/errors.js';
import { shareRecovery } from '../../core/insurance/deadlines.js';
import { parseBusinessDate } from '../../core/time/business-date.js';
import { appendAudit } from '../../store/audit.js';
import type { InsuranceClaimTable } from '../../store/schema.js';
import { type Executor, forUpdate } from '../../store/write.js';
import type { Actor, Services } from '../services.js';
import { insertOneAudited } from '../write-records.js';
import { insurancePolicyRow, termsOf } from './insurance-policies.js';

export function claimRecord(row: Selectable<InsuranceClaimTable>) {
  const n = (v: number | null) => (v === null ? null : Number(v));
  return {
    id: row.id,
    policyId: row.policy_id,
    customerId: row.customer_id,
    filedOn: row.filed_on,
    claimedMinor: Number(row.claimed_minor),
    documents: JSON.parse(row.documents) as string[],
    status: row.status as 'filed' | 'accepted' | 'rejected' | 'paid',
    acceptedMinor: n(row.accepted_minor),
    paidMinor: n(row.paid_minor),
    paidOn: row.paid_on,
    recoveredMinor: Number(row.recovered_minor),
    insurerRecoveryShareMinor: Number(row.insurer_recovery_share_minor),
    note: row.note,
    filedBy: row.filed_by,
    updatedAt: row.updated_at,
  };
}

function positive(value: unknown, field: string): number {
  if (!(Number.isSafeInteger(value) && (value as number) > 0))
    throw new DomainError('invalid_amount', `${field} must be a whole amount in minor units above 0`, field);
  return value as number;
}

/** Files a claim with the insurer for a buyer's unpaid debt, with the documents sent. */
export async function fileClaim(
  services: Services,
  actor: Actor,
  input: {
    policyId: string;
    customerId: string;
    claimedMinor: number;
    filedOn?: string;
    documents: readonly string[];
    note?: string;
  },
) {
  const { db } = services.store;
  await insurancePolicyRow(db, input.policyId);
  const customer = await db
    .selectFrom('customers')
    .select('id')
    .where('id', '=', input.customerId)
    .executeTakeFirst();
  if (!customer) throw new DomainError('customer_not_found', `no customer ${input.customerId}`, 'customerId');
  const filedOn = input.filedOn ? parseBusinessDate(input.filedOn, 'filedOn') : services.clock.today();
  if (filedOn > services.clock.today())
    throw new DomainError('invalid_date', 'filedOn must not be in the future', 'filedOn');
  if (input.documents.length === 0)
    throw new DomainError('required', 'list the documents sent with the claim', 'documents');
  const now = services.clock.now().toISOString();
  return db.transaction().execute((trx) =>
    insertOneAudited(
      trx,
      'insurance_claims',
      {
        id: services.ids.next('clm'),
        policy_id: input.policyId,
        customer_id: customer.id,
        filed_on: filedOn,
        claimed_minor: positive(input.claimedMinor, 'claimedMinor'),
        documents: JSON.stringify(input.documents.map((d, i) => requireText(d, `documents[${i}]`, 200))),
        status: 'filed',
        accepted_minor: null,
        paid_minor: null,
        paid_on: null,
        recovered_minor: 0,
        insurer_recovery_share_minor: 0,
        note: input.note?.trim() || null,
        filed_by: actor,
        updated_at: now,
      },
      claimRecord,
      { actor, now, action: 'insurance_claim.filed' },
    ),
  );
}

export type ClaimMove =
  | { action: 'accept'; acceptedMinor: number; note?: string }
  | { action: 'reject'; note: string }
  | { action: 'pay'; paidMinor: number; paidOn: string }
  | { action: 'recover'; amountMinor: number; receivedOn: string };

const AUDIT_ACTION = { accept: 'accepted', reject: 'rejected', pay: 'paid', recover: 'recovery' } as const;

/**
 * A claim's way: filed → accepted | rejected, accepted → paid; after payment, each recovery from the
 * buyer is shared between insurer and insured by the indemnity.
 */
export async function moveClaim(services: Services, actor: Actor, id: string, move: ClaimMove) {
  const now = services.clock.now().toISOString();
  return services.store.db.transaction().execute(async (trx) => {
    const before = await forUpdate(
      trx.selectFrom('insurance_claims').selectAll().where('id', '=', id),
      services.store.dialect,
    ).executeTakeFirst();
    if (!before) throw new DomainError('insurance_claim_not_found', `no claim ${id}`);
    const wrong = (allowed: string) =>
      new DomainError('invalid_transition', `a ${before.status} claim cannot be ${allowed}`, 'action');
    let changes: Partial<Selectable<InsuranceClaimTable>>;
    if (move.action === 'accept') {
      if (before.status !== 'filed') throw wrong('accepted');
      const acceptedMinor = positive(move.acceptedMinor, 'acceptedMinor');
      if (acceptedMinor > Number(before.claimed_minor))
        throw new DomainError('invalid_amount', 'acceptedMinor must not exceed the claim', 'acceptedMinor');
      changes = { status: 'accepted', accepted_minor: acceptedMinor, note: move.note?.trim() || before.note };
    } else if (move.action === 'reject') {
      if (before.status !== 'filed') throw wrong('rejected');
      changes = { status: 'rejected', note: requireText(move.note ?? '', 'note', 1000) };
    } else if (move.action === 'pay') {
      if (before.status !== 'accepted') throw wrong('paid');
      const paidMinor = positive(move.paidMinor, 'paidMinor');
      if (paidMinor > Number(before.accepted_minor))
        throw new DomainError('invalid_amount', 'paidMinor must not exceed the accepted amount', 'paidMinor');
      const paidOn = parseBusinessDate(move.paidOn, 'paidOn');
      if (paidOn < before.filed_on)
        throw new DomainError('invalid_date', 'paidOn must not be before the claim was filed', 'paidOn');
      changes = { status: 'paid', paid_minor: paidMinor, paid_on: paidOn };
    } else {
      if (before.status !== 'paid') throw wrong('credited with a recovery until it is paid and');
      const amountMinor = positive(move.amountMinor, 'amountMinor');
      parseBusinessDate(move.receivedOn, 'receivedOn');
      const terms = termsOf(await insurancePolicyRow(trx, before.policy_id));
      const { insurerShareMinor } = shareRecovery(amountMinor, terms.indemnity);
      changes = {
        recovered_minor: Number(before.recovered_minor) + amountMinor,
        insurer_recovery_share_minor: Number(before.insurer_recovery_share_minor) + insurerShareMinor,
      };
    }
    await trx
      .updateTable('insurance_claims')
      .set({ ...changes, updated_at: now })
      .where('id', '=', id)
      .execute();
    const after = { ...before, ...changes, updated_at: now };
    await appendAudit(trx, actor, now, [
      {
        action: `insurance_claim.${AUDIT_ACTION[move.action]}`,
        entityType: 'insurance_claim',
        entityId: id,
        before: claimRecord(before),
        after: { ...claimRecord(after), ...(move.action === 'recover' && { recovery: move }) },
      },
    ]);
    return claimRecord(after);
  });
}

export async function listClaims(executor: Executor, filter: { customerId?: string } = {}) {
  let query = executor
    .selectFrom('insurance_claims')
    .innerJoin('customers', 'customers.id', 'insurance_claims.customer_id')
    .selectAll('insurance_claims')
    .select('customers.name as customer_name')
    .orderBy('insurance_claims.filed_on', 'desc')
    .limit(1000);
  if (filter.customerId) query = query.where('insurance_claims.customer_id', '=', filter.customerId);
  return {
    items: (await query.execute()).map((r) => ({ ...claimRecord(r), customerName: r.customer_name })),
  };
}
