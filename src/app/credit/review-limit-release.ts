import { type ReleaseTier, releasedPercent } from '../../core/limits/limits.js';
import { type BusinessDate, daysBetween } from '../../core/time/business-date.js';
import { appendAudit } from '../../store/audit.js';
import { forUpdate } from '../../store/write.js';
import type { Actor, Services } from '../services.js';

/**
 * Step-wise release (B3): counts the customer's invoices paid on time since the limit was approved
 * and the months since anything was last overdue, and releases every tier whose milestones are
 * met. Run by a job, or on demand; tiers never go back.
 */
export async function reviewLimitRelease(services: Services, actor: Actor, customerId: string) {
  const today = services.clock.today();
  const now = services.clock.now().toISOString();
  return services.store.db.transaction().execute(async (trx) => {
    const limit = await forUpdate(
      trx
        .selectFrom('credit_limits')
        .selectAll()
        .where('subject_type', '=', 'customer')
        .where('subject_id', '=', customerId)
        .where('kind', '=', 'permanent')
        .where('status', '=', 'active'),
      services.store.dialect,
    ).executeTakeFirst();
    if (!limit?.tiers_json)
      return {
        customerId,
        releasedPercent: limit?.released_percent ?? null,
        changed: false,
        onTimeInvoices: 0,
        monthsClean: 0,
      };
    const since = limit.starts_on;
    const invoices = await trx
      .selectFrom('invoices')
      .select(['due_date', 'settled_on', 'open_minor'])
      .where('customer_id', '=', customerId)
      .where((eb) => eb.or([eb('settled_on', '>=', since), eb('open_minor', '>', 0)]))
      .execute();
    let onTimeInvoices = 0;
    let lastOverdue: string = since;
    for (const i of invoices) {
      if (i.settled_on !== null && i.settled_on <= i.due_date && i.settled_on >= since) onTimeInvoices += 1;
      if (i.settled_on !== null && i.settled_on > i.due_date && i.settled_on > lastOverdue)
        lastOverdue = i.settled_on;
      if (i.open_minor > 0 && i.due_date < today) lastOverdue = today;
    }
    const monthsClean = Math.floor(daysBetween(lastOverdue as BusinessDate, today) / 30);
    const tiers = JSON.parse(limit.tiers_json) as ReleaseTier[];
    const share = releasedPercent(tiers, { onTimeInvoices, monthsClean }, limit.released_percent);
    const changed = share !== limit.released_percent;
    if (changed) {
      await trx
        .updateTable('credit_limits')
        .set({ released_percent: share })
        .where('id', '=', limit.id)
        .execute();
      await appendAudit(trx, actor, now, [
        {
          action: 'limit.tier_released',
          entityType: 'customer',
          entityId: customerId,
          before: { limitId: limit.id, releasedPercent: limit.released_percent },
          after: { limitId: limit.id, releasedPercent: share, onTimeInvoices, monthsClean },
        },
      ]);
    }
    return { customerId, releasedPercent: share, changed, onTimeInvoices, monthsClean };
  });
}
