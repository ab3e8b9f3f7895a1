import type { Selectable } from 'kysely';
import { DomainError } from '../../core/errors.js';
import {
  BUYER_LIMIT_STATUSES,
  type BuyerLimitDecision,
  type BuyerLimitStatus,
  buyerLimitOn,
  policyInForce,
} from '../../core/insurance/insurance-policy.js';
import type { CurrencyCode } from '../../core/money/currency.js';
import { formatMajorAmount } from '../../core/money/parse.js';
import { type BusinessDate, parseBusinessDate } from '../../core/time/business-date.js';
import type { InsurerBuyerLimitTable } from '../../store/schema.js';
import type { Executor } from '../../store/write.js';
import { converter } from '../credit/fx-rates.js';
import { recordSignals } from '../external-data/record-signals.js';
import type { Actor, Services } from '../services.js';
import { insertOneAudited } from '../write-records.js';
import { insurancePolicyRow, termsOf } from './insurance-policies.js';

export interface BuyerLimitInput {
  readonly policyId: string;
  readonly customerId: string;
  readonly status: string;
  readonly requestedMinor?: number | null;
  readonly approvedMinor?: number | null;
  readonly effectiveOn: string;
  readonly reference?: string | null;
  readonly note?: string | null;
}

export function buyerLimitRecord(row: Selectable<InsurerBuyerLimitTable>) {
  return {
    id: row.id,
    policyId: row.policy_id,
    customerId: row.customer_id,
    status: row.status as BuyerLimitStatus,
    requestedMinor: row.requested_minor === null ? null : Number(row.requested_minor),
    approvedMinor: row.approved_minor === null ? null : Number(row.approved_minor),
    effectiveOn: row.effective_on,
    reference: row.reference,
    note: row.note,
    recordedBy: row.recorded_by,
    recordedAt: row.recorded_at,
  };
}

const decisionOf = (row: Selectable<InsurerBuyerLimitTable>): BuyerLimitDecision => ({
  status: row.status as BuyerLimitStatus,
  approvedMinor: row.approved_minor === null ? null : Number(row.approved_minor),
  effectiveOn: row.effective_on as BusinessDate,
  recordedAt: row.recorded_at,
});

function optionalAmount(value: number | null | undefined, field: string): number | null {
  if (value == null) return null;
  if (!(Number.isSafeInteger(value) && value >= 0))
    throw new DomainError(
      'invalid_amount',
      `${field} must be a whole amount in minor units, 0 or more`,
      field,
    );
  return value;
}

/** The policy in force on `day` that a customer falls under (its named limit's, else the earliest). */
export async function activeInsurance(executor: Executor, day: BusinessDate) {
  const rows = await executor.selectFrom('insurance_policies').selectAll().orderBy('starts_on').execute();
  return rows.map(termsOf).filter((t) => policyInForce(t, day));
}

/** Every decision per customer under a policy, effective by `day`. */
export async function decisionsByCustomer(
  executor: Executor,
  policyId: string,
  day: BusinessDate,
  customerIds?: readonly string[],
) {
  let query = executor
    .selectFrom('insurer_buyer_limits')
    .selectAll()
    .where('policy_id', '=', policyId)
    .where('effective_on', '<=', day);
  if (customerIds) query = query.where('customer_id', 'in', customerIds.length ? customerIds : ['']);
  const byCustomer = new Map<string, BuyerLimitDecision[]>();
  for (const row of await query.execute()) {
    const list = byCustomer.get(row.customer_id) ?? [];
    list.push(decisionOf(row));
    byCustomer.set(row.customer_id, list);
  }
  return byCustomer;
}

/**
 * Puts the insurer's limit in force today on each credit profile (in the customer's currency) with
 * the policy's indemnity, so the order check, the exposure views and the appetite see the cover.
 * Without a policy in force the profiles keep what was entered by hand.
 */
export async function syncInsuredProfiles(
  executor: Executor,
  today: BusinessDate,
  customerIds?: readonly string[],
) {
  const [terms] = await activeInsurance(executor, today);
  if (!terms) return 0;
  let query = executor
    .selectFrom('customers')
    .innerJoin('credit_profiles', 'credit_profiles.customer_id', 'customers.id')
    .select([
      'customers.id',
      'customers.country',
      'customers.currency',
      'credit_profiles.insured_limit_minor',
      'credit_profiles.insured_coverage_percent',
    ]);
  if (customerIds) query = query.where('customers.id', 'in', customerIds.length ? customerIds : ['']);
  const customers = await query.execute();
  const decisions = await decisionsByCustomer(executor, terms.id, today, customerIds);
  const converters = new Map<string, Awaited<ReturnType<typeof converter>>>();
  for (const currency of new Set(customers.map((c) => c.currency)))
    converters.set(currency, await converter(executor, today, currency as CurrencyCode, [terms.currency]));
  let changed = 0;
  for (const c of customers) {
    const { limitMinor } = buyerLimitOn(terms, decisions.get(c.id) ?? [], c.country, today);
    const conv = converters.get(c.currency);
    const inCurrency = conv && conv.missing.length === 0 ? conv.toTarget(limitMinor, terms.currency) : null;
    const coverage = inCurrency === null ? null : terms.indemnity * 100;
    if (
      (c.insured_limit_minor === null ? null : Number(c.insured_limit_minor)) === inCurrency &&
      (c.insured_coverage_percent === null ? null : Number(c.insured_coverage_percent)) === coverage
    )
      continue;
    await executor
      .updateTable('credit_profiles')
      .set({ insured_limit_minor: inCurrency, insured_coverage_percent: coverage })
      .where('customer_id', '=', c.id)
      .execute();
    changed += 1;
  }
  return changed;
}

/**
 * Records an application to the insurer or its decision on a buyer (F2). A cut, refusal or
 * cancellation of cover the buyer had is an outside signal (and so an alert); what is in effect
 * today goes onto the credit profile at once, a later date by the daily job.
 */
export async function recordBuyerLimit(services: Services, actor: Actor, input: BuyerLimitInput) {
  if (!(BUYER_LIMIT_STATUSES as readonly string[]).includes(input.status))
    throw new DomainError(
      'invalid_status',
      `status must be one of ${BUYER_LIMIT_STATUSES.join(', ')}`,
      'status',
    );
  const status = input.status as BuyerLimitStatus;
  const effectiveOn = parseBusinessDate(input.effectiveOn, 'effectiveOn');
  const requestedMinor = optionalAmount(input.requestedMinor, 'requestedMinor');
  const approvedMinor = optionalAmount(input.approvedMinor, 'approvedMinor');
  const grants = status === 'approved' || status === 'partially_approved' || status === 'reduced';
  if (grants && approvedMinor === null)
    throw new DomainError('required', `a ${status} decision needs approvedMinor`, 'approvedMinor');
  if (status === 'requested' && requestedMinor === null)
    throw new DomainError('required', 'an application needs requestedMinor', 'requestedMinor');
  const { db } = services.store;
  const policy = termsOf(await insurancePolicyRow(db, input.policyId));
  const customer = await db
    .selectFrom('customers')
    .select(['id', 'name', 'country'])
    .where('id', '=', input.customerId)
    .executeTakeFirst();
  if (!customer) throw new DomainError('customer_not_found', `no customer ${input.customerId}`, 'customerId');
  const today = services.clock.today();
  const before = buyerLimitOn(
    policy,
    (await decisionsByCustomer(db, policy.id, effectiveOn, [customer.id])).get(customer.id) ?? [],
    customer.country,
    effectiveOn,
  );
  const now = services.clock.now().toISOString();
  const row = {
    id: services.ids.next('ibl'),
    policy_id: policy.id,
    customer_id: customer.id,
    status,
    requested_minor: requestedMinor,
    approved_minor: grants ? approvedMinor : status === 'requested' ? null : 0,
    effective_on: effectiveOn,
    reference: input.reference?.trim() || null,
    note: input.note?.trim() || null,
    recorded_by: actor,
    recorded_at: now,
  };
  const record = await db.transaction().execute(async (trx) => {
    const written = await insertOneAudited(trx, 'insurer_buyer_limits', row, buyerLimitRecord, {
      actor,
      now,
      action: 'insurer_buyer_limit.recorded',
    });
    if (effectiveOn <= today) await syncInsuredProfiles(trx, today, [customer.id]);
    return written;
  });
  const cur = policy.currency as CurrencyCode;
  const after = status === 'requested' ? before.limitMinor : (row.approved_minor ?? 0);
  if (status !== 'requested' && after < before.limitMinor)
    await recordSignals(services, actor, [
      {
        source: `insurer:${policy.id}`,
        sourceRef: row.id,
        customerId: customer.id,
        signalType: status === 'cancelled' ? 'insurer_limit_cancelled' : 'insurer_limit_cut',
        occurredOn: effectiveOn,
        amountMinor: after,
        currency: policy.currency,
        summary: `insurer ${status.replace('_', ' ')} the buyer limit: ${policy.currency} ${formatMajorAmount(before.limitMinor, cur)} → ${formatMajorAmount(after, cur)}`,
      },
    ]);
  return record;
}

export async function listBuyerLimits(
  executor: Executor,
  filter: { policyId?: string; customerId?: string },
) {
  let query = executor
    .selectFrom('insurer_buyer_limits')
    .innerJoin('customers', 'customers.id', 'insurer_buyer_limits.customer_id')
    .selectAll('insurer_buyer_limits')
    .select('customers.name as customer_name')
    .orderBy('insurer_buyer_limits.effective_on', 'desc')
    .orderBy('insurer_buyer_limits.recorded_at', 'desc')
    .limit(1000);
  if (filter.policyId) query = query.where('insurer_buyer_limits.policy_id', '=', filter.policyId);
  if (filter.customerId) query = query.where('insurer_buyer_limits.customer_id', '=', filter.customerId);
  const rows = await query.execute();
  return { items: rows.map((r) => ({ ...buyerLimitRecord(r), customerName: r.customer_name })) };
}
