import type { Selectable } from 'kysely';
import { DomainError, invariant } from '../../core/errors.js';
import {
  assertCanDecideOverride,
  type OverrideStatus,
  ratingInForce,
  ratingMigration,
  validateOverrideRequest,
} from '../../core/rating/override.js';
import type { BusinessDate } from '../../core/time/business-date.js';
import { type AuditEntry, appendAudit } from '../../store/audit.js';
import type { RatingOverrideTable } from '../../store/schema.js';
import { type Executor, forUpdate } from '../../store/write.js';
import { lockProfile } from '../credit/profile-rows.js';
import type { Actor, Services } from '../services.js';

interface Rating {
  readonly grade: number | null;
  readonly riskClass: string;
  readonly source: string;
}

/** A row of the rating history: the rating in force from today, and where it came from. */
export async function recordRatingHistory(
  trx: Executor,
  services: Services,
  now: string,
  customerId: string,
  rating: Rating,
): Promise<void> {
  await trx
    .insertInto('rating_history')
    .values({
      id: services.ids.next('rth'),
      customer_id: customerId,
      rated_on: services.clock.today(),
      grade: rating.grade,
      risk_class: rating.riskClass,
      source: rating.source,
      created_at: now,
    })
    .execute();
}

/**
 * Records a change of a customer's rating in force — the profile, its history row, its audit
 * entry — and, from the scoring job, the model's latest grade, in one update of the profile.
 */
async function setRating(
  trx: Executor,
  services: Services,
  now: string,
  profile: {
    customer_id: string;
    rating_grade: number | null;
    risk_class: string;
    rating_source: string;
    model_grade: number | null;
  },
  after: Rating,
  modelGrade?: number,
): Promise<AuditEntry | null> {
  const customerId = profile.customer_id;
  const before: Rating = {
    grade: profile.rating_grade,
    riskClass: profile.risk_class,
    source: profile.rating_source,
  };
  const rerated =
    before.grade !== after.grade || before.riskClass !== after.riskClass || before.source !== after.source;
  const remodelled = modelGrade !== undefined && modelGrade !== profile.model_grade;
  if (!rerated && !remodelled) return null;
  await trx
    .updateTable('credit_profiles')
    .set({
      ...(rerated && {
        rating_grade: after.grade,
        risk_class: after.riskClass,
        rating_source: after.source,
        updated_at: now,
      }),
      ...(remodelled && { model_grade: modelGrade }),
    })
    .where('customer_id', '=', customerId)
    .execute();
  if (!rerated) return null;
  await recordRatingHistory(trx, services, now, customerId, after);
  return {
    action: 'credit_profile.rating_changed',
    entityType: 'customer',
    entityId: customerId,
    before,
    after,
  };
}

/**
 * The scoring job's ratings (A6): every scored customer gets the model's grade on the master scale
 * and its class — unless an approved override is in force, which stays (the model's grade is kept
 * beside it). Changes are written with their history rows in the job's transaction; the audit
 * entries are returned for the job to append with its own.
 */
export async function applyModelRatings(
  trx: Executor,
  services: Services,
  now: string,
  grades: readonly { customerId: string; grade: number }[],
): Promise<{ changed: number; overridden: number; audit: AuditEntry[] }> {
  // One customer re-scored reads its own rows; the nightly job reads every profile at once.
  const ids = grades.map((g) => g.customerId);
  const few = ids.length > 0 && ids.length <= 500;
  const profiles = new Map(
    (
      await trx
        .selectFrom('credit_profiles')
        .select(['customer_id', 'risk_class', 'rating_grade', 'rating_source', 'model_grade'])
        .$if(few, (q) => q.where('customer_id', 'in', ids))
        .execute()
    ).map((p) => [p.customer_id, p]),
  );
  const overrides = new Map(
    (
      await trx
        .selectFrom('rating_overrides')
        .select(['customer_id', 'grade'])
        .where('status', '=', 'active')
        .$if(few, (q) => q.where('customer_id', 'in', ids))
        .execute()
    ).map((o) => [o.customer_id, o.grade]),
  );
  const audit: AuditEntry[] = [];
  let overridden = 0;
  for (const { customerId, grade } of grades) {
    const profile = profiles.get(customerId);
    if (!profile) continue;
    const override = overrides.get(customerId) ?? null;
    if (override !== null) overridden += 1;
    const next = ratingInForce(grade, override);
    const entry = await setRating(trx, services, now, profile, next, grade);
    if (entry) audit.push(entry);
  }
  return { changed: audit.length, overridden, audit };
}

function overrideRecord(row: Selectable<RatingOverrideTable>) {
  return {
    id: row.id,
    customerId: row.customer_id,
    grade: row.grade,
    modelGrade: row.model_grade,
    reason: row.reason,
    status: row.status as OverrideStatus,
    requestedBy: row.requested_by,
    requestedAt: row.requested_at,
    decidedBy: row.decided_by,
    decidedAt: row.decided_at,
    decisionNote: row.decision_note,
    endedBy: row.ended_by,
    endedAt: row.ended_at,
  };
}

async function lockedOverride(trx: Executor, services: Services, id: string) {
  const row = await forUpdate(
    trx.selectFrom('rating_overrides').selectAll().where('id', '=', id),
    services.store.dialect,
  ).executeTakeFirst();
  if (!row) throw new DomainError('override_not_found', `rating override ${id} does not exist`);
  return row;
}

/** Asks for a strategic customer's rating to be set apart from the model's (A6); it waits for approval. */
export async function requestRatingOverride(
  services: Services,
  actor: Actor,
  customerId: string,
  input: { grade: number; reason: string },
) {
  const now = services.clock.now().toISOString();
  return services.store.db.transaction().execute(async (trx) => {
    const profile = await lockProfile(trx, services.store.dialect, customerId);
    const open = await trx
      .selectFrom('rating_overrides')
      .select('id')
      .where('customer_id', '=', customerId)
      .where('status', 'in', ['pending', 'active'])
      .executeTakeFirst();
    validateOverrideRequest({
      strategic: profile.strategic === 1,
      grade: input.grade,
      modelGrade: profile.model_grade,
      reason: input.reason,
      openOverride: open !== undefined,
    });
    const row: Selectable<RatingOverrideTable> = {
      id: services.ids.next('rov'),
      customer_id: customerId,
      grade: input.grade,
      model_grade: profile.model_grade,
      reason: input.reason.trim(),
      status: 'pending',
      requested_by: actor,
      requested_at: now,
      decided_by: null,
      decided_at: null,
      decision_note: null,
      ended_by: null,
      ended_at: null,
    };
    await trx.insertInto('rating_overrides').values(row).execute();
    await appendAudit(trx, actor, now, [
      {
        action: 'rating_override.requested',
        entityType: 'customer',
        entityId: customerId,
        before: null,
        after: overrideRecord(row),
      },
    ]);
    return overrideRecord(row);
  });
}

/** Approves (the override comes into force at once) or rejects a pending override; never by its requester. */
export async function decideRatingOverride(
  services: Services,
  actor: Actor,
  overrideId: string,
  input: { decision: 'approve' | 'reject'; note: string },
) {
  const now = services.clock.now().toISOString();
  return services.store.db.transaction().execute(async (trx) => {
    const before = await lockedOverride(trx, services, overrideId);
    assertCanDecideOverride({ status: before.status, requestedBy: before.requested_by }, actor);
    const after = {
      ...before,
      status: input.decision === 'approve' ? 'active' : 'rejected',
      decided_by: actor,
      decided_at: now,
      decision_note: input.note,
    };
    await trx
      .updateTable('rating_overrides')
      .set({ status: after.status, decided_by: actor, decided_at: now, decision_note: input.note })
      .where('id', '=', overrideId)
      .execute();
    const audit: AuditEntry[] = [
      {
        action: `rating_override.${input.decision === 'approve' ? 'approved' : 'rejected'}`,
        entityType: 'customer',
        entityId: before.customer_id,
        before: overrideRecord(before),
        after: overrideRecord(after),
      },
    ];
    if (input.decision === 'approve') {
      const profile = await lockProfile(trx, services.store.dialect, before.customer_id);
      invariant(profile.model_grade !== null, 'an override is only ever asked for over a model rating');
      const next = ratingInForce(profile.model_grade, before.grade);
      const entry = await setRating(trx, services, now, profile, next);
      if (entry) audit.push(entry);
    }
    await appendAudit(trx, actor, now, audit);
    return overrideRecord(after);
  });
}

/** Ends an override in force: the customer goes back to the model's rating. */
export async function endRatingOverride(services: Services, actor: Actor, overrideId: string, note: string) {
  const now = services.clock.now().toISOString();
  return services.store.db.transaction().execute(async (trx) => {
    const before = await lockedOverride(trx, services, overrideId);
    if (before.status !== 'active')
      throw new DomainError('override_not_active', `the override is ${before.status}, not in force`);
    const after = { ...before, status: 'ended', ended_by: actor, ended_at: now, decision_note: note };
    await trx
      .updateTable('rating_overrides')
      .set({ status: 'ended', ended_by: actor, ended_at: now })
      .where('id', '=', overrideId)
      .execute();
    const profile = await lockProfile(trx, services.store.dialect, before.customer_id);
    invariant(profile.model_grade !== null, 'an override is only ever granted over a model rating');
    const entry = await setRating(trx, services, now, profile, ratingInForce(profile.model_grade, null));
    await appendAudit(trx, actor, now, [
      {
        action: 'rating_override.ended',
        entityType: 'customer',
        entityId: before.customer_id,
        before: overrideRecord(before),
        after: { ...overrideRecord(after), note },
      },
      ...(entry ? [entry] : []),
    ]);
    return overrideRecord(after);
  });
}

export async function listRatingOverrides(
  executor: Executor,
  filter: { status?: string; customerId?: string },
) {
  let query = executor
    .selectFrom('rating_overrides')
    .selectAll()
    .orderBy('requested_at', 'desc')
    .orderBy('id')
    .limit(500);
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.customerId) query = query.where('customer_id', '=', filter.customerId);
  return (await query.execute()).map(overrideRecord);
}

/** Grades in force at the start and the end of a period, from the rating history (A6, H1). */
export async function ratingMigrationBetween(executor: Executor, from: BusinessDate, to: BusinessDate) {
  if (from > to) throw new DomainError('invalid_period', 'from must not be after to', 'from');
  const rows = await executor
    .selectFrom('rating_history')
    .select(['customer_id', 'rated_on', 'grade'])
    .where('rated_on', '<=', to)
    .orderBy('customer_id')
    .orderBy('rated_on')
    .orderBy('created_at')
    .execute();
  const start = new Map<string, number>();
  const end = new Map<string, number>();
  for (const r of rows) {
    // The last row on or before each date wins; a customer without a grade then is left out.
    const apply = (at: Map<string, number>) =>
      r.grade === null ? at.delete(r.customer_id) : at.set(r.customer_id, r.grade);
    if (r.rated_on <= from) apply(start);
    apply(end);
  }
  return { from, to, ...ratingMigration(start, end) };
}
