import type { Locale } from '../../core/policy/explain.js';
import { paginate, sortOf } from '../../store/page.js';
import { orderRecord } from '../../store/records.js';
import { actorNames } from '../auth/actor-names.js';
import { customerNames } from '../lookup.js';
import type { Services } from '../services.js';

export const QUEUE_SORTS = ['createdAt', 'amount'] as const;

export interface QueueFilter {
  readonly limit?: number;
  readonly cursor?: string;
  /** One of QUEUE_SORTS, `-` first for descending; oldest first by default. Amounts in each order's own currency. */
  readonly sort?: string;
  readonly customerId?: string;
  /** Only the orders past their review deadline (true) or within it (false). */
  readonly overdueSla?: boolean;
}

/**
 * The blocked-order queue (B4): held and escalated orders with their age and review deadline,
 * whose customer and who placed them by name, a page at a time.
 */
export async function heldOrderQueue(services: Services, locale: Locale, filter: QueueFilter) {
  const { db } = services.store;
  const now = services.clock.now();
  let query = db.selectFrom('orders').selectAll().where('status', '=', 'held');
  if (filter.customerId) query = query.where('customer_id', '=', filter.customerId);
  if (filter.overdueSla === true) query = query.where('sla_due_at', '<', now.toISOString());
  if (filter.overdueSla === false)
    query = query.where((eb) =>
      eb.or([eb('sla_due_at', 'is', null), eb('sla_due_at', '>=', now.toISOString())]),
    );
  const page = await paginate(
    query,
    'orders.id',
    filter,
    (row) => row,
    sortOf(filter.sort ?? 'createdAt', {
      createdAt: { column: 'orders.created_at', valueOf: (row) => row.created_at },
      amount: { column: 'orders.amount_minor', valueOf: (row) => row.amount_minor },
    }),
  );
  const rows = page.items;
  // Names, not ids: whose order, placed by whom.
  const customers = await customerNames(
    db,
    rows.map((r) => r.customer_id),
  );
  const people = await actorNames(
    db,
    rows.flatMap((r) => (r.requested_by ? [r.requested_by] : [])),
  );
  return {
    items: rows.map((row) => ({
      ...orderRecord(row, locale),
      customerName: customers.get(row.customer_id)?.name ?? row.customer_id,
      requestedByName: row.requested_by ? (people.get(row.requested_by) ?? row.requested_by) : null,
      ageHours: Math.round(((now.getTime() - Date.parse(row.created_at)) / 3_600_000) * 10) / 10,
      overdueSla: row.sla_due_at !== null && row.sla_due_at < now.toISOString(),
    })),
    nextCursor: page.nextCursor,
  };
}
