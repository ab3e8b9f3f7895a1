import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { updateCreditProfile } from '../../src/app/credit/update-profile.js';
import { createCustomers } from '../../src/app/customers/create-customers.js';
import {
  applyModelRatings,
  decideRatingOverride,
  endRatingOverride,
  listRatingOverrides,
  ratingMigrationBetween,
  requestRatingOverride,
} from '../../src/app/scoring/ratings.js';
import type { Services } from '../../src/app/services.js';
import type { BusinessDate } from '../../src/core/time/business-date.js';
import { appendAudit } from '../../src/store/audit.js';
import { DIALECTS, freshStore, scenarioServices, type TestStore } from '../support/stores.js';

const REASON = 'group parent guarantees all debts; audited accounts 2026 strong';

/** A6 from the first manual assessment to an override approved, kept by the model job, and ended. */
describe.each(DIALECTS)('ratings and strategic overrides (%s)', (dialect) => {
  let t: TestStore;
  let services: Services;
  let today = '2026-01-05';
  const ids: Record<string, string> = {};
  const profile = (key: string) =>
    services.store.db
      .selectFrom('credit_profiles')
      .select(['risk_class', 'rating_grade', 'rating_source', 'model_grade'])
      .where('customer_id', '=', ids[key] as string)
      .executeTakeFirstOrThrow();
  const modelRates = (grades: Record<string, number>) =>
    services.store.db.transaction().execute(async (trx) => {
      const now = services.clock.now().toISOString();
      const applied = await applyModelRatings(
        trx,
        services,
        now,
        Object.entries(grades).map(([key, grade]) => ({ customerId: ids[key] as string, grade })),
      );
      await appendAudit(trx, 'scoring-job', now, applied.audit);
      return applied;
    });

  beforeAll(async () => {
    t = await freshStore(dialect);
    services = scenarioServices(t.store, () => today);
    const customers = await createCustomers(
      services,
      'setup',
      ['S', 'N'].map((k) => ({
        externalId: `R-${k}`,
        name: k === 'S' ? 'Strategic Parent Co' : 'Ordinary Buyer Ltd',
        country: 'CN',
        currency: 'CNY',
        segment: 'large' as const,
      })),
    );
    for (const c of customers) ids[c.externalId.slice(2)] = c.id;
  });
  afterAll(async () => t?.dispose());

  it('5 Jan: before any model an analyst rates by hand, and flags S strategic', async () => {
    const s = await updateCreditProfile(services, 'analyst', ids.S as string, {
      riskClass: 'C',
      ratingGrade: 5,
      strategic: true,
    });
    expect(s).toMatchObject({ riskClass: 'C', ratingGrade: 5, ratingSource: 'manual', strategic: true });
    await updateCreditProfile(services, 'analyst', ids.N as string, { riskClass: 'B', ratingGrade: 4 });
  });

  it('10 Jan: the model rates both; grade and class follow the master scale, by hand no longer', async () => {
    today = '2026-01-10';
    const applied = await modelRates({ S: 7, N: 9 });
    expect(applied).toMatchObject({ changed: 2, overridden: 0 });
    expect(await profile('S')).toEqual({
      risk_class: 'D',
      rating_grade: 7,
      rating_source: 'model',
      model_grade: 7,
    });
    expect(await profile('N')).toEqual({
      risk_class: 'E',
      rating_grade: 9,
      rating_source: 'model',
      model_grade: 9,
    });
    await expect(
      updateCreditProfile(services, 'analyst', ids.S as string, { riskClass: 'A' }),
    ).rejects.toMatchObject({ code: 'rating_from_model', field: 'riskClass' });
    // Other profile fields stay editable.
    await expect(
      updateCreditProfile(services, 'analyst', ids.S as string, { guaranteeMinor: 100_000 }),
    ).resolves.toMatchObject({ ratingGrade: 7, ratingSource: 'model' });
  });

  it('an override is refused for a customer not strategic, the same grade, a thin reason', async () => {
    await expect(
      requestRatingOverride(services, 'analyst', ids.N as string, { grade: 5, reason: REASON }),
    ).rejects.toMatchObject({ code: 'not_strategic' });
    await expect(
      requestRatingOverride(services, 'analyst', ids.S as string, { grade: 7, reason: REASON }),
    ).rejects.toMatchObject({ code: 'override_same_as_model', field: 'grade' });
    await expect(
      requestRatingOverride(services, 'analyst', ids.S as string, { grade: 3, reason: 'per sales' }),
    ).rejects.toMatchObject({ code: 'reason_too_short', field: 'reason' });
  });

  it('12 Jan: asked by the analyst, approved by someone else, it is in force at once', async () => {
    today = '2026-01-12';
    const asked = await requestRatingOverride(services, 'analyst', ids.S as string, {
      grade: 3,
      reason: REASON,
    });
    expect(asked).toMatchObject({ status: 'pending', grade: 3, modelGrade: 7 });
    expect((await profile('S')).rating_source).toBe('model');
    await expect(
      requestRatingOverride(services, 'other', ids.S as string, { grade: 4, reason: REASON }),
    ).rejects.toMatchObject({ code: 'override_open' });
    await expect(
      decideRatingOverride(services, 'analyst', asked.id, { decision: 'approve', note: 'mine' }),
    ).rejects.toMatchObject({ code: 'four_eyes_violation' });
    const approved = await decideRatingOverride(services, 'manager', asked.id, {
      decision: 'approve',
      note: 'guarantee seen',
    });
    expect(approved).toMatchObject({ status: 'active', decidedBy: 'manager' });
    expect(await profile('S')).toEqual({
      risk_class: 'B',
      rating_grade: 3,
      rating_source: 'override',
      model_grade: 7,
    });
    await expect(
      decideRatingOverride(services, 'manager', asked.id, { decision: 'reject', note: 'again' }),
    ).rejects.toMatchObject({ code: 'override_not_pending' });
  });

  it('20 Jan: the model job keeps the override in force and records its own grade beside it', async () => {
    today = '2026-01-20';
    expect(await modelRates({ S: 8, N: 6 })).toMatchObject({ changed: 1, overridden: 1 });
    expect(await profile('S')).toEqual({
      risk_class: 'B',
      rating_grade: 3,
      rating_source: 'override',
      model_grade: 8,
    });
    expect(await profile('N')).toMatchObject({ rating_grade: 6, risk_class: 'C' });
  });

  it('31 Jan: ended, S goes back to the model; the history gives the month’s migration', async () => {
    today = '2026-01-31';
    const [active] = await listRatingOverrides(services.store.db, { status: 'active' });
    const ended = await endRatingOverride(services, 'manager', active?.id as string, 'guarantee expired');
    expect(ended).toMatchObject({ status: 'ended', endedBy: 'manager' });
    expect(await profile('S')).toEqual({
      risk_class: 'D',
      rating_grade: 8,
      rating_source: 'model',
      model_grade: 8,
    });
    await expect(endRatingOverride(services, 'manager', active?.id as string, 'twice')).rejects.toMatchObject(
      {
        code: 'override_not_active',
      },
    );

    const month = await ratingMigrationBetween(
      services.store.db,
      '2026-01-05' as BusinessDate,
      '2026-01-31' as BusinessDate,
    );
    // S: 5 → 8, N: 4 → 6 (both downgraded); as of 12 Jan S stood at 3 (override) and N at 9.
    expect(month).toMatchObject({
      upgraded: 0,
      downgraded: 2,
      unchanged: 0,
      newlyRated: 0,
      noLongerRated: 0,
    });
    expect(month.matrix[4]?.[7]).toBe(1);
    expect(month.matrix[3]?.[5]).toBe(1);
    const mid = await ratingMigrationBetween(
      services.store.db,
      '2026-01-12' as BusinessDate,
      '2026-01-20' as BusinessDate,
    );
    expect(mid).toMatchObject({ upgraded: 1, downgraded: 0, unchanged: 1 });
    expect(mid.matrix[2]?.[2]).toBe(1);
    expect(mid.matrix[8]?.[5]).toBe(1);
    await expect(
      ratingMigrationBetween(services.store.db, '2026-02-01' as BusinessDate, '2026-01-01' as BusinessDate),
    ).rejects.toMatchObject({ code: 'invalid_period' });
  });

  it('every change of rating is in the audit log with before and after', async () => {
    const events = await services.store.db
      .selectFrom('audit_events')
      .select(['action', 'actor'])
      .where('entity_id', '=', ids.S as string)
      .where('action', 'like', 'rating%')
      .orderBy('seq')
      .execute();
    expect(events.map((e) => `${e.actor}:${e.action}`)).toEqual([
      'analyst:rating_override.requested',
      'manager:rating_override.approved',
      'manager:rating_override.ended',
    ]);
    const changes = await services.store.db
      .selectFrom('audit_events')
      .select('actor')
      .where('entity_id', '=', ids.S as string)
      .where('action', '=', 'credit_profile.rating_changed')
      .execute();
    expect(changes.map((c) => c.actor)).toEqual(['scoring-job', 'manager', 'manager']);
  });
});
