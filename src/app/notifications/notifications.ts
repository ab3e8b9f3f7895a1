import { mayDo } from '../../core/access/roles.js';
import type { NotificationKind } from '../../core/notifications/digest.js';
import { actorName, type Principal } from '../auth/principal.js';
import type { Services } from '../services.js';

/** What waits for someone (I4), by kind: how many, how many since they last looked, where to go. */
export interface Notification {
  readonly kind: NotificationKind;
  readonly count: number;
  readonly unread: number;
  readonly link: string;
}

const DAYS_BACK = 7;

/**
 * What waits for this person, computed from the book as it is (nothing to keep in step): limit
 * requests they may decide and did not ask for (four eyes), held orders, open alerts their role
 * owns, their own held orders decided lately, and — for sales — their customers' broken promises.
 * Each is offered only to a role that may act on it; unread is what came after they last looked
 * (or after `newSince`).
 */
export async function notificationsFor(services: Services, principal: Principal, newSince?: string) {
  const { db } = services.store;
  const me = actorName(principal);
  const mark = await db
    .selectFrom('notification_marks')
    .select('seen_at')
    .where('principal', '=', me)
    .executeTakeFirst();
  // New: after they last looked — or, for an e-mail as things arrive, after the last such e-mail.
  const seenAt = newSince ?? mark?.seen_at ?? '';
  const since = new Date(services.clock.now().getTime() - DAYS_BACK * 86_400_000).toISOString();
  const count = (rows: readonly { at: string | null }[]) => ({
    count: rows.length,
    unread: rows.filter((r) => (r.at ?? '') > seenAt).length,
  });
  const items: Notification[] = [];
  if (mayDo(principal.role, 'limits.decide')) {
    const rows = await db
      .selectFrom('limit_requests')
      .select('created_at as at')
      .where('status', '=', 'pending')
      .where('requested_by', '!=', me)
      .execute();
    items.push({ kind: 'approvals', ...count(rows), link: '#/approvals' });
  }
  if (mayDo(principal.role, 'orders.decide')) {
    const rows = await db
      .selectFrom('orders')
      .select('created_at as at')
      .where('status', '=', 'held')
      .execute();
    items.push({ kind: 'held_orders', ...count(rows), link: '#/queue' });
  }
  if (mayDo(principal.role, 'alerts.work')) {
    const rows = await db
      .selectFrom('alerts')
      .select('updated_at as at')
      .where('state', '=', 'open')
      .where('owner_role', '=', principal.role)
      .execute();
    items.push({ kind: 'alerts', ...count(rows), link: '#/alerts' });
  }
  const decided = await db
    .selectFrom('orders')
    .select('decided_at as at')
    .where('requested_by', '=', me)
    .where('decided_by', 'is not', null)
    .where('decided_by', '!=', me)
    .where('decided_at', '>=', since)
    .execute();
  items.push({ kind: 'my_orders_decided', ...count(decided), link: '#/queue' });
  if (principal.salesOwner) {
    const broken = await db
      .selectFrom('payment_promises as p')
      .innerJoin('customers as c', 'c.id', 'p.customer_id')
      .select('p.promised_on as at')
      .where('p.status', '=', 'broken')
      .where('c.sales_owner', '=', principal.salesOwner)
      .where('p.promised_on', '>=', since.slice(0, 10))
      .execute();
    items.push({ kind: 'broken_promises', ...count(broken), link: '#/collections' });
  }
  const shown = items.filter((n) => n.count > 0);
  return { unread: shown.reduce((s, n) => s + n.unread, 0), seenAt: mark?.seen_at ?? null, items: shown };
}

/** Marks everything up to now as seen. */
export async function markNotificationsSeen(services: Services, principal: Principal) {
  const me = actorName(principal);
  const now = services.clock.now().toISOString();
  await services.store.db
    .insertInto('notification_marks')
    .values({ principal: me, seen_at: now })
    .onConflict((oc) => oc.column('principal').doUpdateSet({ seen_at: now }))
    .execute();
  return notificationsFor(services, principal);
}
