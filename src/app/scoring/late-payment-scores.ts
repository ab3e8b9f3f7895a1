import { DomainError } from '../../core/errors.js';
import { blendedGrade } from '../../core/financials/statements.js';
import { groupBy } from '../../core/group-by.js';
import type { Locale } from '../../core/policy/explain.js';
import {
  fitLatePaymentModel,
  LATE_DAYS,
  type LatePaymentModel,
  type LedgerInvoice,
  scoreCustomer,
  trainingRows,
} from '../../core/scoring/late-payment.js';
import { reasonText } from '../../core/scoring/late-payment-reasons.js';
import type { ScorecardModel } from '../../core/scoring/scorecard.js';
import { appendAudit } from '../../store/audit.js';
import { invoiceHistory } from '../../store/queries/invoice-history.js';
import { type Executor, insertChunked } from '../../store/write.js';
import { statementZones } from '../financials/statements.js';
import type { Actor, Services } from '../services.js';
import { applyModelRatings } from './ratings.js';

const PURPOSE = 'late_payment';
/** Too few known outcomes and the model would fit noise. */
export const MIN_TRAINING_ROWS = 200;

export async function ledgerByCustomer(executor: Executor): Promise<Map<string, LedgerInvoice[]>> {
  return groupBy(await invoiceHistory(executor), (invoice) => invoice.customerId);
}

/** A customer's score as stored: its figures, reasons and features, with the model and day. */
function scoreRow(
  customerId: string,
  modelId: string,
  scoredOn: string,
  scored: ReturnType<typeof scoreCustomer>,
) {
  return {
    customer_id: customerId,
    model_id: modelId,
    scored_on: scoredOn,
    score: scored.score,
    pd: scored.pd,
    grade: scored.grade,
    reasons_json: JSON.stringify(scored.reasons),
    features_json: JSON.stringify(scored.features),
  };
}

/**
 * The scoring job: trains the late-payment model on every invoice whose outcome is known,
 * back-tests it on the last months, makes it the champion (the one before is retired, kept on
 * record) and scores every customer with it as of today — all in one transaction.
 */
export async function refreshLatePaymentScores(services: Services, actor: Actor) {
  const started = performance.now();
  const today = services.clock.today();
  const { db } = services.store;
  const byCustomer = await ledgerByCustomer(db);
  const rows = trainingRows(byCustomer, today);
  if (rows.length < MIN_TRAINING_ROWS)
    throw new DomainError(
      'not_enough_history',
      `${rows.length} invoices with a known outcome; the model needs at least ${MIN_TRAINING_ROWS}`,
    );
  const { model, backTest } = fitLatePaymentModel(rows, today);
  const customers = await db.selectFrom('customers').select(['id', 'segment']).execute();
  const scores = customers.map((c) => ({
    customerId: c.id,
    ...scoreCustomer(model, byCustomer.get(c.id) ?? [], today, c.segment),
  }));
  const now = services.clock.now().toISOString();
  const modelId = services.ids.next('mdl');
  const ratings = await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('models')
      .set({ status: 'retired' })
      .where('purpose', '=', PURPOSE)
      .where('status', '=', 'champion')
      .execute();
    await trx
      .insertInto('models')
      .values({
        id: modelId,
        purpose: PURPOSE,
        status: 'champion',
        artefact_json: JSON.stringify(model),
        back_test_json: backTest ? JSON.stringify(backTest) : null,
        training_rows: rows.length,
        created_by: actor,
        created_at: now,
      })
      .execute();
    await trx.deleteFrom('customer_scores').execute();
    await insertChunked(
      trx,
      'customer_scores',
      scores.map((s) => scoreRow(s.customerId, modelId, today, s)),
    );
    // The rating blends the account's behaviour with its statements' Z″ zone, where one is in date (A5).
    const zones = await statementZones(
      trx,
      today,
      scores.map((s) => s.customerId),
    );
    const ratings = await applyModelRatings(
      trx,
      services,
      now,
      scores.map((s) => {
        const zone = zones.get(s.customerId);
        return { customerId: s.customerId, grade: blendedGrade(s.grade, zone ?? null) };
      }),
    );
    await appendAudit(trx, actor, now, [
      ...ratings.audit,
      {
        action: 'model.champion',
        entityType: 'model',
        entityId: modelId,
        before: null,
        after: {
          purpose: PURPOSE,
          trainingRows: rows.length,
          backTest,
          features: model.pooled.features.map((f) => f.name),
        },
      },
    ]);
    return ratings;
  });
  return {
    modelId,
    trainingRows: rows.length,
    backTest,
    ...featuresOf(model),
    customersScored: scores.length,
    ratingsChanged: ratings.changed,
    ratingsOverridden: ratings.overridden,
    seconds: Math.round(performance.now() - started) / 1000,
  };
}

/**
 * Scores one customer again now with the champion model (A6): after news the nightly job has not
 * seen yet — a large payment, a new statement. The score, the rating it gives (an approved override
 * stays) and the audit entry are written together; the model is not refitted.
 */
export async function rescoreCustomer(services: Services, actor: Actor, customerId: string, locale: Locale) {
  const today = services.clock.today();
  const now = services.clock.now().toISOString();
  const { db } = services.store;
  return db.transaction().execute(async (trx) => {
    const champion = await trx
      .selectFrom('models')
      .select(['id', 'artefact_json'])
      .where('purpose', '=', PURPOSE)
      .where('status', '=', 'champion')
      .executeTakeFirst();
    if (!champion)
      throw new DomainError(
        'model_not_found',
        'there is no late-payment model yet: run the scoring job first',
      );
    const customer = await trx
      .selectFrom('customers')
      .select(['id', 'segment'])
      .where('id', '=', customerId)
      .executeTakeFirst();
    if (!customer) throw new DomainError('customer_not_found', `customer ${customerId} does not exist`);
    const model = JSON.parse(champion.artefact_json) as LatePaymentModel;
    const scored = scoreCustomer(model, await invoiceHistory(trx, customerId), today, customer.segment);
    const before = await trx
      .selectFrom('customer_scores')
      .select(['score', 'pd', 'grade', 'scored_on'])
      .where('customer_id', '=', customerId)
      .executeTakeFirst();
    await trx.deleteFrom('customer_scores').where('customer_id', '=', customerId).execute();
    await trx
      .insertInto('customer_scores')
      .values(scoreRow(customerId, champion.id, today, scored))
      .execute();
    const zone = (await statementZones(trx, today, [customerId])).get(customerId) ?? null;
    const ratings = await applyModelRatings(trx, services, now, [
      { customerId, grade: blendedGrade(scored.grade, zone) },
    ]);
    await appendAudit(trx, actor, now, [
      ...ratings.audit,
      {
        action: 'customer.rescored',
        entityType: 'customer',
        entityId: customerId,
        before: before ?? null,
        after: {
          modelId: champion.id,
          score: scored.score,
          pd: scored.pd,
          grade: scored.grade,
          scoredOn: today,
        },
      },
    ]);
    return customerScore(trx, customerId, locale);
  });
}

/** A customer's latest behavioural score, with its reasons in words. */
export async function customerScore(executor: Executor, customerId: string, locale: Locale) {
  const row = await executor
    .selectFrom('customer_scores')
    .selectAll()
    .where('customer_id', '=', customerId)
    .executeTakeFirst();
  if (!row)
    throw new DomainError('score_not_found', `customer ${customerId} has no score yet: run the scoring job`);
  const reasons = JSON.parse(row.reasons_json) as { feature: string; pointsLost: number }[];
  const features = JSON.parse(row.features_json) as Record<string, number | string | null>;
  return {
    customerId,
    modelId: row.model_id,
    scoredOn: row.scored_on,
    definition: `probability that the next invoice is paid more than ${LATE_DAYS} days past due`,
    score: row.score,
    pd: row.pd,
    grade: row.grade,
    reasons: reasons.map((r) => ({
      ...r,
      value: features[r.feature] ?? null,
      message: reasonText(r.feature, locale),
    })),
    features,
  };
}

const ivTable = (card: ScorecardModel) =>
  card.features.map((f) => ({ name: f.name, iv: Math.round(f.iv * 10_000) / 10_000 }));

/** The pooled scorecard's features with their IV, and those of each segment with weights of its own. */
function featuresOf(model: LatePaymentModel) {
  return {
    features: ivTable(model.pooled),
    segments: Object.entries(model.segments).map(([segment, card]) => ({ segment, features: ivTable(card) })),
  };
}

/** Model versions, newest first, with their back-tests: the record of champions and the retired. */
export async function listModels(executor: Executor) {
  const rows = await executor
    .selectFrom('models')
    .selectAll()
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
  return rows.map((r) => {
    const artefact = JSON.parse(r.artefact_json) as LatePaymentModel | ScorecardModel;
    // Models stored before segments were weighed are one pooled scorecard.
    const model: LatePaymentModel =
      'pooled' in artefact
        ? artefact
        : { kind: 'segmented-scorecard', segmentBy: 'segment', pooled: artefact, segments: {} };
    return {
      id: r.id,
      purpose: r.purpose,
      status: r.status,
      trainingRows: r.training_rows,
      backTest: r.back_test_json ? JSON.parse(r.back_test_json) : null,
      ...featuresOf(model),
      createdBy: r.created_by,
      createdAt: r.created_at,
    };
  });
}
