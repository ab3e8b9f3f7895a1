import type { Selectable } from 'kysely';
import { DomainError } from '../../core/errors.js';
import type { RatingSource } from '../../core/rating/override.js';
import { isRiskClass, type RiskClass } from '../../core/rating/risk-class.js';
import { appendAudit } from '../../store/audit.js';
import type { CreditProfileTable } from '../../store/schema.js';
import { recordRatingHistory } from '../scoring/ratings.js';
import type { Actor, Services } from '../services.js';
import { lockProfile } from './profile-rows.js';

export interface CreditProfileChanges {
  readonly riskClass?: string;
  readonly ratingGrade?: number | null;
  readonly stopSupply?: boolean;
  readonly insuredLimitMinor?: number | null;
  readonly insuredCoveragePercent?: number | null;
  readonly guaranteeMinor?: number | null;
  readonly lateInterestPercent?: number | null;
  readonly interestGraceDays?: number | null;
  readonly strategic?: boolean;
}

import type { ScreenReason } from '../../core/onboarding/pre-screen.js';

export function profileRecord(row: Selectable<CreditProfileTable>) {
  return {
    customerId: row.customer_id,
    riskClass: row.risk_class as RiskClass,
    ratingGrade: row.rating_grade,
    /** manual | model | override (A6): an override is shown as one wherever the rating is. */
    ratingSource: row.rating_source as RatingSource,
    modelGrade: row.model_grade,
    strategic: row.strategic === 1,
    blacklisted: row.blacklisted === 1,
    stopSupply: row.stop_supply === 1,
    insuredLimitMinor: row.insured_limit_minor,
    insuredCoveragePercent: row.insured_coverage_percent,
    guaranteeMinor: row.guarantee_minor,
    lateInterestPercent: row.late_interest_percent,
    interestGraceDays: row.interest_grace_days,
    tradingSince: row.trading_since,
    firstContactScreen:
      row.screen_outcome === null
        ? null
        : {
            outcome: row.screen_outcome,
            reasons: JSON.parse(row.screen_reasons_json ?? '[]') as ScreenReason[],
          },
    updatedAt: row.updated_at,
  };
}

const nonNegative = (value: number | null | undefined, field: string) => {
  if (value != null && !(Number.isSafeInteger(value) && value >= 0)) {
    throw new DomainError('invalid_amount', `${field} must be a whole number ≥ 0`, field);
  }
};

/** Sets a customer's risk class, rating grade, credit flags and security (insurance, guarantees). */
export async function updateCreditProfile(
  services: Services,
  actor: Actor,
  customerId: string,
  changes: CreditProfileChanges,
) {
  if (changes.riskClass !== undefined && !isRiskClass(changes.riskClass)) {
    throw new DomainError('invalid_risk_class', 'riskClass must be one of A, B, C, D, E', 'riskClass');
  }
  if (
    changes.ratingGrade != null &&
    !(Number.isInteger(changes.ratingGrade) && changes.ratingGrade >= 1 && changes.ratingGrade <= 10)
  ) {
    throw new DomainError('invalid_grade', 'ratingGrade must be a whole number from 1 to 10', 'ratingGrade');
  }
  nonNegative(changes.insuredLimitMinor, 'insuredLimitMinor');
  nonNegative(changes.guaranteeMinor, 'guaranteeMinor');
  if (
    changes.insuredCoveragePercent != null &&
    !(changes.insuredCoveragePercent >= 0 && changes.insuredCoveragePercent <= 100)
  ) {
    throw new DomainError(
      'invalid_percent',
      'insuredCoveragePercent must be from 0 to 100',
      'insuredCoveragePercent',
    );
  }
  const now = services.clock.now().toISOString();
  const patch = {
    ...(changes.riskClass !== undefined && { risk_class: changes.riskClass }),
    ...(changes.ratingGrade !== undefined && { rating_grade: changes.ratingGrade }),
    ...(changes.stopSupply !== undefined && { stop_supply: changes.stopSupply ? 1 : 0 }),
    ...(changes.insuredLimitMinor !== undefined && { insured_limit_minor: changes.insuredLimitMinor }),
    ...(changes.insuredCoveragePercent !== undefined && {
      insured_coverage_percent: changes.insuredCoveragePercent,
    }),
    ...(changes.guaranteeMinor !== undefined && { guarantee_minor: changes.guaranteeMinor }),
    ...(changes.lateInterestPercent !== undefined && { late_interest_percent: changes.lateInterestPercent }),
    ...(changes.interestGraceDays !== undefined && { interest_grace_days: changes.interestGraceDays }),
    ...(changes.strategic !== undefined && { strategic: changes.strategic ? 1 : 0 }),
    updated_at: now,
  };
  return services.store.db.transaction().execute(async (trx) => {
    const before = await lockProfile(trx, services.store.dialect, customerId);
    const rerated =
      (changes.riskClass !== undefined && changes.riskClass !== before.risk_class) ||
      (changes.ratingGrade !== undefined && changes.ratingGrade !== before.rating_grade);
    // A6: once the model rates a customer, its rating changes only through the model or an approved override.
    if (rerated && before.rating_source !== 'manual')
      throw new DomainError(
        'rating_from_model',
        'the rating comes from the late-payment model; a strategic customer may have it overridden (POST /v1/customers/{id}/rating-overrides)',
        changes.riskClass !== undefined ? 'riskClass' : 'ratingGrade',
      );
    await trx.updateTable('credit_profiles').set(patch).where('customer_id', '=', customerId).execute();
    const after = { ...before, ...patch };
    if (rerated)
      await recordRatingHistory(trx, services, now, customerId, {
        grade: after.rating_grade,
        riskClass: after.risk_class,
        source: 'manual',
      });
    await appendAudit(trx, actor, now, [
      {
        action: 'credit_profile.updated',
        entityType: 'customer',
        entityId: customerId,
        before: profileRecord(before),
        after: profileRecord(after),
      },
    ]);
    return profileRecord(after);
  });
}
