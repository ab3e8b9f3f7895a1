import { DomainError } from '../../core/errors.js';
import { parseBusinessDate } from '../../core/time/business-date.js';
import { appendAudit } from '../../store/audit.js';
import { orderRecord } from '../../store/records.js';
import { lockedOrder } from '../credit/place-order.js';
import { adjustExposure, orderExposure } from '../exposure/adjust-exposure.js';
import type { Actor, Services } from '../services.js';

/** Which moves an order may make: shipping keeps it in exposure, cancelling frees its credit. */
const MOVES = {
  ship: { from: ['open'], to: 'shipped' },
  cancel: { from: ['open', 'held', 'shipped'], to: 'cancelled' },
} as const;

/** The move that takes an order from one status to another, if there is one. */
export function moveBetween(from: string, to: string): keyof typeof MOVES | null {
  const found = Object.entries(MOVES).find(
    ([, rule]) => rule.to === to && (rule.from as readonly string[]).includes(from),
  );
  return found ? (found[0] as keyof typeof MOVES) : null;
}

export async function moveOrder(
  services: Services,
  actor: Actor,
  orderId: string,
  move: keyof typeof MOVES,
  shippedOn?: string,
) {
  const now = services.clock.now().toISOString();
  const shipDate =
    move === 'ship' ? parseBusinessDate(shippedOn ?? services.clock.today(), 'shippedOn') : null;
  return services.store.db.transaction().execute(async (trx) => {
    const before = await lockedOrder(trx, services.store.dialect, orderId);
    const rule = MOVES[move];
    if (!(rule.from as readonly string[]).includes(before.status)) {
      throw new DomainError('invalid_order_state', `order ${orderId} is ${before.status}; it cannot ${move}`);
    }
    const after = { ...before, status: rule.to as string, shipped_on: shipDate ?? before.shipped_on };
    await trx
      .updateTable('orders')
      .set({ status: after.status, shipped_on: after.shipped_on })
      .where('id', '=', orderId)
      .execute();
    const credit = before.credit_minor ?? 0;
    const leaving = orderExposure(before.status, credit);
    const entering = orderExposure(after.status, credit);
    await adjustExposure(trx, [
      {
        customerId: before.customer_id,
        currency: before.currency,
        openOrdersMinor: (entering.openOrdersMinor ?? 0) - (leaving.openOrdersMinor ?? 0),
        shippedMinor: (entering.shippedMinor ?? 0) - (leaving.shippedMinor ?? 0),
      },
    ]);
    await appendAudit(trx, actor, now, [
      {
        action: `order.${move === 'ship' ? 'shipped' : 'cancelled'}`,
        entityType: 'order',
        entityId: orderId,
        before: orderRecord(before),
        after: orderRecord(after),
      },
    ]);
    return orderRecord(after);
  });
}
