import { requireText } from '../../core/customers/customer.js';
import { DomainError } from '../../core/errors.js';
import { type ReleaseTier, validateTiers } from '../../core/limits/limits.js';
import { type CurrencyCode, parseCurrency } from '../../core/money/currency.js';
import { assertCommitteeDone } from '../../core/policy/committee.js';
import { daysBetween, parseBusinessDate } from '../../core/time/business-date.js';
import { type AuditEntry, appendAudit } from '../../store/audit.js';
import { type PageRequest, paginate, sortOf } from '../../store/page.js';
import type { Executor } from '../../store/write.js';
import { actorNames } from '../auth/actor-names.js';
import type { Actor, Services } from '../services.js';
import { insertOneAudited } from '../write-records.js';
import { type Approver, assertAuthority, riskClassOf } from './authority.js';
import { committeeView } from './committee.js';
import { limitRequestRecord, lockPendingRequest } from './limit-request-record.js';
import type { LimitSubject } from './position-reader.js';

export interface LimitRequestInput {
  readonly subjectType: 'customer' | 'group';
  readonly subjectId: string;
  readonly kind: 'permanent' | 'temporary';
  readonly amountMinor: number;
  readonly currency: string;
  readonly startsOn?: string;
  readonly expiresOn?: string;
  readonly tiers?: ReleaseTier[];
  readonly reason: string;
}

/** Temporary limits are for a season or an opportunity, not a permanent raise by the back door. */
export const MAX_TEMPORARY_DAYS = 366;

/** The currency a subject's limits are kept in: the customer's, or the group's first limit's. */
async function subjectCurrency(executor: Executor, subject: LimitSubject): Promise<string | null> {
  if (subject.type === 'customer') {
    const c = await executor
      .selectFrom('customers')
      .select('currency')
      .where('id', '=', subject.id)
      .executeTakeFirst();
    if (!c) throw new DomainError('customer_not_found', `customer ${subject.id} does not exist`, 'subjectId');
    return c.currency;
  }
  const g = await executor
    .selectFrom('customer_groups')
    .select('id')
    .where('id', '=', subject.id)
    .executeTakeFirst();
  if (!g)
    throw new DomainError('group_not_found', `customer group ${subject.id} does not exist`, 'subjectId');
  const limit = await executor
    .selectFrom('credit_limits')
    .select('currency')
    .where('subject_type', '=', 'group')
    .where('subject_id', '=', subject.id)
    .where('status', '=', 'active')
    .executeTakeFirst();
  return limit?.currency ?? null;
}

async function currentPermanentMinor(executor: Executor, subject: LimitSubject): Promise<number> {
  const row = await executor
    .selectFrom('credit_limits')
    .select('amount_minor')
    .where('subject_type', '=', subject.type)
    .where('subject_id', '=', subject.id)
    .where('kind', '=', 'permanent')
    .where('status', '=', 'active')
    .executeTakeFirst();
  return row?.amount_minor ?? 0;
}

/** A limit change starts as a request (B5): who, why, from → to. Nothing changes until approved. */
export async function requestLimit(services: Services, requester: Actor, input: LimitRequestInput) {
  const today = services.clock.today();
  const subject: LimitSubject = { type: input.subjectType, id: input.subjectId };
  const currency = parseCurrency(input.currency, 'currency');
  if (!(Number.isSafeInteger(input.amountMinor) && input.amountMinor >= 0)) {
    throw new DomainError('invalid_amount', 'amountMinor must be a whole number ≥ 0', 'amountMinor');
  }
  const startsOn = input.startsOn ? parseBusinessDate(input.startsOn, 'startsOn') : today;
  const expiresOn = input.expiresOn ? parseBusinessDate(input.expiresOn, 'expiresOn') : null;
  if (input.kind === 'temporary') {
    if (!expiresOn) throw new DomainError('required', 'a temporary limit needs expiresOn', 'expiresOn');
    const days = daysBetween(startsOn, expiresOn);
    if (days < 0)
      throw new DomainError('expires_before_start', 'expiresOn must not be before startsOn', 'expiresOn');
    if (expiresOn < today)
      throw new DomainError(
        'already_expired',
        `expiresOn ${expiresOn} is past: the temporary limit would never be in force`,
        'expiresOn',
      );
    if (days > MAX_TEMPORARY_DAYS)
      throw new DomainError(
        'temporary_too_long',
        `a temporary limit lasts at most ${MAX_TEMPORARY_DAYS} days`,
        'expiresOn',
      );
  } else if (expiresOn) {
    throw new DomainError(
      'invalid_request',
      'a permanent limit has no expiry; use kind temporary',
      'expiresOn',
    );
  }
  if (input.tiers) {
    if (input.kind !== 'permanent')
      throw new DomainError('invalid_tiers', 'only a permanent limit is released in tiers', 'tiers');
    validateTiers(input.tiers);
  }
  const reason = requireText(input.reason, 'reason', 1000);
  const now = services.clock.now().toISOString();
  return services.store.db.transaction().execute(async (trx) => {
    const existing = await subjectCurrency(trx, subject);
    if (existing && existing !== currency) {
      throw new DomainError(
        'currency_mismatch',
        `limits of this ${subject.type} are kept in ${existing}`,
        'currency',
      );
    }
    const row = {
      id: services.ids.next('lrq'),
      subject_type: subject.type,
      subject_id: subject.id,
      kind: input.kind,
      amount_minor: input.amountMinor,
      currency,
      starts_on: startsOn,
      expires_on: expiresOn,
      tiers_json: input.tiers ? JSON.stringify(input.tiers) : null,
      previous_minor: await currentPermanentMinor(trx, subject),
      reason,
      status: 'pending',
      requested_by: requester,
      decided_by: null,
      decided_at: null,
      decision_note: null,
      created_at: now,
    };
    return insertOneAudited(trx, 'limit_requests', row, limitRequestRecord, {
      actor: requester,
      now,
      action: 'limit_request.created',
    });
  });
}

/**
 * Approves or rejects a pending limit request (four eyes and the authority matrix). Approval
 * writes the new limit; a permanent one supersedes the one before it. Both are audited.
 */
export async function decideLimitRequest(
  services: Services,
  approver: Approver,
  requestId: string,
  decision: { approve: boolean; note: string },
) {
  const now = services.clock.now().toISOString();
  const today = services.clock.today();
  const note = requireText(decision.note, 'note', 1000);
  return services.store.db.transaction().execute(async (trx) => {
    const request = await lockPendingRequest(trx, services.store.dialect, requestId);
    const subject: LimitSubject = {
      type: request.subject_type as LimitSubject['type'],
      id: request.subject_id,
    };
    if (decision.approve) {
      await assertAuthority(
        trx,
        'limit_change',
        approver,
        request.requested_by,
        request.amount_minor,
        request.currency as CurrencyCode,
        await riskClassOf(trx, subject),
        today,
      );
      const committee = await committeeView(trx, request, today);
      if (committee.rule) assertCommitteeDone(committee.rule, committee.signOffs, committee.base);
    } else if (request.requested_by === approver.actor) {
      throw new DomainError('four_eyes_violation', 'the requester cannot decide their own request');
    }
    const after = {
      ...request,
      status: decision.approve ? 'approved' : 'rejected',
      decided_by: approver.actor,
      decided_at: now,
      decision_note: note,
    };
    await trx
      .updateTable('limit_requests')
      .set({ status: after.status, decided_by: after.decided_by, decided_at: now, decision_note: note })
      .where('id', '=', requestId)
      .execute();
    const events: AuditEntry[] = [
      {
        action: `limit_request.${after.status}`,
        entityType: 'limit_request',
        entityId: requestId,
        before: limitRequestRecord(request),
        after: limitRequestRecord(after),
      },
    ];
    if (decision.approve) {
      if (request.kind === 'permanent') {
        await trx
          .updateTable('credit_limits')
          .set({ status: 'superseded' })
          .where('subject_type', '=', request.subject_type)
          .where('subject_id', '=', request.subject_id)
          .where('kind', '=', 'permanent')
          .where('status', '=', 'active')
          .execute();
      }
      const tiers = request.tiers_json ? (JSON.parse(request.tiers_json) as ReleaseTier[]) : null;
      const limit = {
        id: services.ids.next('lim'),
        subject_type: request.subject_type,
        subject_id: request.subject_id,
        kind: request.kind,
        amount_minor: request.amount_minor,
        currency: request.currency,
        starts_on: request.starts_on,
        expires_on: request.expires_on,
        tiers_json: request.tiers_json,
        // The first tier is available at once when its milestones are zero.
        released_percent: tiers
          ? tiers[0] && tiers[0].onTimeInvoices === 0 && tiers[0].monthsClean === 0
            ? tiers[0].sharePercent
            : 0
          : 100,
        status: 'active',
        request_id: requestId,
        created_at: now,
      };
      await trx.insertInto('credit_limits').values(limit).execute();
      events.push({
        action: 'limit.changed',
        entityType: subject.type === 'customer' ? 'customer' : 'customer_group',
        entityId: subject.id,
        before: { kind: request.kind, amountMinor: request.previous_minor },
        after: {
          kind: request.kind,
          amountMinor: request.amount_minor,
          limitId: limit.id,
          releasedPercent: limit.released_percent,
          reason: request.reason,
        },
      });
    }
    await appendAudit(trx, approver.actor, now, events);
    return limitRequestRecord(after);
  });
}

export const LIMIT_REQUEST_SORTS = ['createdAt', 'amount'] as const;

/** Limit requests, newest first unless sorted otherwise, a page at a time, by whose and who asked by name. */
export async function listLimitRequests(
  executor: Executor,
  filter: PageRequest & { status?: string; subjectId?: string; sort?: string },
) {
  let q = executor
    .selectFrom('limit_requests')
    .leftJoin('customers', (join) =>
      join
        .onRef('customers.id', '=', 'limit_requests.subject_id')
        .on('limit_requests.subject_type', '=', 'customer'),
    )
    .leftJoin('customer_groups', (join) =>
      join
        .onRef('customer_groups.id', '=', 'limit_requests.subject_id')
        .on('limit_requests.subject_type', '=', 'group'),
    )
    .selectAll('limit_requests')
    .select(['customers.name as customer_name', 'customer_groups.name as group_name']);
  if (filter.status) q = q.where('limit_requests.status', '=', filter.status);
  if (filter.subjectId) q = q.where('limit_requests.subject_id', '=', filter.subjectId);
  const page = await paginate(
    q,
    'limit_requests.id',
    filter,
    (row) => row,
    sortOf(filter.sort ?? '-createdAt', {
      createdAt: { column: 'limit_requests.created_at', valueOf: (r) => r.created_at },
      amount: { column: 'limit_requests.amount_minor', valueOf: (r) => r.amount_minor },
    }),
  );
  // Names, not ids: whoever decides sees whom the limit is for, and who asked.
  const people = await actorNames(
    executor,
    page.items.map((r) => r.requested_by),
  );
  return {
    items: page.items.map(({ customer_name, group_name, ...row }) => ({
      ...limitRequestRecord(row),
      subjectName: customer_name ?? group_name ?? row.subject_id,
      requestedByName: people.get(row.requested_by) ?? row.requested_by,
    })),
    nextCursor: page.nextCursor,
  };
}

/** A subject's limits, active and past, newest first: the full history of B5. */
export async function limitHistory(executor: Executor, subject: LimitSubject) {
  const rows = await executor
    .selectFrom('credit_limits')
    .selectAll()
    .where('subject_type', '=', subject.type)
    .where('subject_id', '=', subject.id)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    amountMinor: r.amount_minor,
    currency: r.currency,
    startsOn: r.starts_on,
    expiresOn: r.expires_on,
    tiers: r.tiers_json ? (JSON.parse(r.tiers_json) as ReleaseTier[]) : null,
    releasedPercent: r.released_percent,
    status: r.status,
    requestId: r.request_id,
    createdAt: r.created_at,
  }));
}
