import { appendAudit } from '../../store/audit.js';
import type { Actor, Services } from '../services.js';
import { reviewLimitRelease } from './review-limit-release.js';

/**
 * The terms agreed with customers, made to execute themselves by the nightly monitoring run (D2):
 * temporary limits past their end are marked expired (they had stopped counting that day), and
 * every tiered limit releases the tiers whose milestones are now met — each step audited.
 */
export async function executeAgreedTerms(services: Services, actor: Actor) {
  const { db } = services.store;
  const today = services.clock.today();
  const now = services.clock.now().toISOString();
  const temporariesExpired = await db.transaction().execute(async (trx) => {
    const lapsed = await trx
      .selectFrom('credit_limits')
      .select(['id', 'subject_type', 'subject_id', 'amount_minor', 'currency', 'expires_on'])
      .where('kind', '=', 'temporary')
      .where('status', '=', 'active')
      .where('expires_on', '<', today)
      .execute();
    if (lapsed.length === 0) return 0;
    await trx
      .updateTable('credit_limits')
      .set({ status: 'expired' })
      .where(
        'id',
        'in',
        lapsed.map((l) => l.id),
      )
      .execute();
    await appendAudit(
      trx,
      actor,
      now,
      lapsed.map((l) => ({
        action: 'limit.expired',
        entityType: l.subject_type,
        entityId: l.subject_id,
        before: { limitId: l.id, kind: 'temporary', status: 'active', expiresOn: l.expires_on },
        after: {
          limitId: l.id,
          kind: 'temporary',
          status: 'expired',
          amountMinor: l.amount_minor,
          currency: l.currency,
        },
      })),
    );
    return lapsed.length;
  });
  const tiered = await db
    .selectFrom('credit_limits')
    .select('subject_id')
    .where('subject_type', '=', 'customer')
    .where('kind', '=', 'permanent')
    .where('status', '=', 'active')
    .where('tiers_json', 'is not', null)
    .where('released_percent', '<', 100)
    .orderBy('subject_id')
    .execute();
  let tiersReleased = 0;
  for (const { subject_id } of tiered)
    if ((await reviewLimitRelease(services, actor, subject_id)).changed) tiersReleased++;
  return { temporariesExpired, tiersReleased };
}
