import type { Insertable } from 'kysely';
import { riskClassOfGrade } from '../../core/rating/master-scale.js';
import { latePaymentModelOnly, scoreCustomer, trainingRows } from '../../core/scoring/late-payment.js';
import type { BusinessDate } from '../../core/time/business-date.js';
import { appendAudit } from '../../store/audit.js';
import type { RatingHistoryTable } from '../../store/schema.js';
import { insertChunked } from '../../store/write.js';
import type { Actor, Services } from '../services.js';
import { ledgerByCustomer, MIN_TRAINING_ROWS } from './late-payment-scores.js';

export interface BackfilledDate {
  readonly ratedOn: BusinessDate;
  /** Customers rated that day; 0 when the ledger then held too little history for a model. */
  readonly customersRated: number;
  readonly trainingRows: number;
}

/**
 * The ratings the scoring job would have given on past dates, for a book whose ledger reaches
 * further back than its ratings (a new installation, the demo): on each date a model is fitted on
 * the outcomes known then and every customer already trading is rated from its history then —
 * nothing after the date is seen. Written as rating history rows (source `model`), so rating
 * migration can be read across those dates; profiles and the champion model are left alone.
 * One audit entry says which dates were filled in, with how many customers.
 */
export async function backfillRatingHistory(
  services: Services,
  actor: Actor,
  dates: readonly BusinessDate[],
): Promise<BackfilledDate[]> {
  const { db } = services.store;
  const byCustomer = await ledgerByCustomer(db);
  const segments = new Map(
    (await db.selectFrom('customers').select(['id', 'segment']).execute()).map((c) => [c.id, c.segment]),
  );
  const now = services.clock.now().toISOString();
  const done: BackfilledDate[] = [];
  const history: Insertable<RatingHistoryTable>[] = [];
  for (const ratedOn of [...dates].sort()) {
    const rows = trainingRows(byCustomer, ratedOn);
    if (rows.length < MIN_TRAINING_ROWS) {
      done.push({ ratedOn, customersRated: 0, trainingRows: rows.length });
      continue;
    }
    // Only the grades are kept: the model without the back-test's diagnostics (the challenger above all).
    const model = latePaymentModelOnly(rows, ratedOn);
    let rated = 0;
    for (const [customerId, invoices] of byCustomer) {
      if (!invoices.some((i) => i.issueDate <= ratedOn)) continue;
      const { grade } = scoreCustomer(model, invoices, ratedOn, segments.get(customerId) ?? 'small');
      history.push({
        id: services.ids.next('rth'),
        customer_id: customerId,
        rated_on: ratedOn,
        grade,
        risk_class: riskClassOfGrade(grade),
        source: 'model',
        created_at: now,
      });
      rated += 1;
    }
    done.push({ ratedOn, customersRated: rated, trainingRows: rows.length });
  }
  await db.transaction().execute(async (trx) => {
    await insertChunked(trx, 'rating_history', history);
    await appendAudit(trx, actor, now, [
      {
        action: 'rating_history.backfilled',
        entityType: 'model',
        entityId: 'late_payment',
        before: null,
        after: { dates: done },
      },
    ]);
  });
  return done;
}
