import { DomainError } from '../../core/errors.js';
import type { CurrencyCode } from '../../core/money/currency.js';
import type { RiskClass } from '../../core/rating/risk-class.js';
import { appendAudit } from '../../store/audit.js';
import { orderRecord } from '../../store/records.js';
import { adjustExposure, orderExposure } from '../exposure/adjust-exposure.js';
import type { Services } from '../services.js';
import { type Approver, assertAuthority } from './authority.js';
import { creditPosition } from './credit-position.js';
import { lockCreditSubjects } from './order-lock.js';
import { assertOrderFound, lockedOrder } from './place-order.js';

/**
 * Releases or rejects an order waiting in the blocked-order queue (C3). Four eyes: the requester
 * can never release their own order; the authority matrix decides who may release how much for
 * which risk class. A release over the limit is allowed — that is what escalation is for — but it
 * is never silent: the excess is written into the audit event.
 */
export async function decideHeldOrder(
  services: Services,
  approver: Approver,
  orderId: string,
  decision: { release: boolean; note: string },
) {
  const now = services.clock.now().toISOString();
  const today = services.clock.today();
  if (decision.note.trim().length === 0) throw new DomainError('required', 'note must say why', 'note');
  return services.store.db.transaction().execute(async (trx) => {
    const peek = await trx
      .selectFrom('orders')
      .select('customer_id')
      .where('id', '=', orderId)
      .executeTakeFirst();
    assertOrderFound(peek, orderId);
    await lockCreditSubjects(trx, services.store.dialect, [peek?.customer_id as string]);
    const before = await lockedOrder(trx, services.store.dialect, orderId);
    if (before.status !== 'held') {
      throw new DomainError(
        'order_not_held',
        `order ${orderId} is ${before.status}; only held orders can be released or rejected`,
      );
    }
    const position = await creditPosition(trx, before.customer_id, today);
    if (decision.release) {
      await assertAuthority(
        trx,
        'order_release',
        approver,
        before.requested_by,
        before.amount_minor,
        before.currency as CurrencyCode,
        position.riskClass as RiskClass,
        today,
      );
    } else if (before.requested_by === approver.actor) {
      throw new DomainError('four_eyes_violation', 'the requester cannot decide their own order');
    }
    const after = {
      ...before,
      status: decision.release ? 'open' : 'rejected',
      credit_minor: decision.release ? before.amount_minor : 0,
      decided_by: approver.actor,
      decided_at: now,
    };
    await trx
      .updateTable('orders')
      .set({
        status: after.status,
        credit_minor: after.credit_minor,
        decided_by: after.decided_by,
        decided_at: after.decided_at,
      })
      .where('id', '=', orderId)
      .execute();
    if (decision.release) {
      await adjustExposure(trx, [
        {
          customerId: before.customer_id,
          currency: before.currency,
          ...orderExposure('open', before.amount_minor),
        },
      ]);
    }
    const overLimitMinor = Math.max(0, before.amount_minor - position.availableMinor);
    await appendAudit(trx, approver.actor, now, [
      {
        action: decision.release ? 'order.released' : 'order.rejected',
        entityType: 'order',
        entityId: orderId,
        before: orderRecord(before),
        after: {
          ...orderRecord(after),
          note: decision.note,
          ...(decision.release ? { overLimitMinor } : {}),
        },
      },
    ]);
    return { ...orderRecord(after), overLimitMinor: decision.release ? overLimitMinor : 0 };
  });
}
