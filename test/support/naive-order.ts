import { creditPosition } from '../../src/app/credit/credit-position.js';
import { activePolicy } from '../../src/app/credit/policies.js';
import { adjustExposure } from '../../src/app/exposure/adjust-exposure.js';
import type { Services } from '../../src/app/services.js';

/**
 * A deliberately wrong order check: it reads the customer's exposure in one transaction and
 * writes the order in another, the read-then-write race the real check's lock prevents. The
 * concurrency test runs it to prove that it can catch that race.
 */
export async function naivePlaceOrder(
  services: Services,
  customerId: string,
  externalId: string,
  amountMinor: number,
) {
  const today = services.clock.today();
  const position = await creditPosition(services.store.db, customerId, today);
  const { evaluate } = await activePolicy(services.store.db);
  const decision = evaluate({
    orderMinor: amountMinor,
    customerAgeDays: 1_000,
    riskClass: position.riskClass,
    ratingGrade: position.ratingGrade,
    blacklisted: false,
    stopSupply: false,
    limitMinor: position.limit.totalMinor,
    exposureMinor: position.exposure.totalMinor,
    overdueMinor: 0,
    overdueMinorDays: 0,
    groupLimitMinor: null,
    groupExposureMinor: null,
    fxRateMissing: false,
  });
  await services.store.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('orders')
      .values({
        id: services.ids.next('ord'),
        external_id: externalId,
        customer_id: customerId,
        ordered_on: today,
        amount_minor: amountMinor,
        currency: 'CNY',
        status: decision.creditMinor > 0 ? 'open' : 'held',
        shipped_on: null,
        invoice_id: null,
        created_at: services.clock.now().toISOString(),
        credit_minor: decision.creditMinor,
        decision_outcome: decision.outcome,
        decision_json: null,
        check_input_json: null,
        policy_version: 0,
        requested_by: 'naive',
        decided_by: null,
        decided_at: null,
        sla_due_at: null,
      })
      .execute();
    if (decision.creditMinor > 0)
      await adjustExposure(trx, [{ customerId, currency: 'CNY', openOrdersMinor: decision.creditMinor }]);
  });
  return decision;
}
