import { randomBytes } from 'node:crypto';
import type { Selectable } from 'kysely';
import { DomainError } from '../../core/errors.js';
import { appendAudit } from '../../store/audit.js';
import type { WebhookDeliveryTable, WebhookSubscriptionTable } from '../../store/schema.js';
import type { Actor, Services } from '../services.js';

const MAX_KINDS = 50;
/** Events one request may carry, for a subscriber that takes them in batches. */
export const MAX_BATCH_SIZE = 100;

export function subscriptionView(row: Selectable<WebhookSubscriptionTable>) {
  return {
    id: row.id,
    url: row.url,
    kinds: JSON.parse(row.kinds_json) as string[],
    status: row.status as 'active' | 'disabled',
    batchSize: row.batch_size,
    failuresInARow: row.failures_in_a_row,
    disabledReason: row.disabled_reason,
    createdBy: row.created_by,
    createdAt: row.created_at,
  };
}

export function deliveryView(row: Selectable<WebhookDeliveryTable>) {
  return {
    id: row.id,
    subscriptionId: row.subscription_id,
    eventSeq: Number(row.event_seq),
    status: row.status as 'pending' | 'delivered' | 'failed',
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    lastStatusCode: row.last_status_code,
    lastError: row.last_error,
    lastResponse: row.last_response,
    deliveredAt: row.delivered_at,
    createdAt: row.created_at,
  };
}

function validUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new DomainError('invalid_url', 'url must be an absolute http(s) URL', 'url');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new DomainError('invalid_url', 'url must be an absolute http(s) URL', 'url');
  return url.toString();
}

function validKinds(kinds: readonly string[]): string[] {
  const clean = [...new Set((kinds ?? []).map((k) => String(k).trim()).filter(Boolean))];
  if (clean.length === 0 || clean.length > MAX_KINDS)
    throw new DomainError(
      'invalid_kinds',
      `kinds must name 1 to ${MAX_KINDS} entity types or actions (e.g. order, limit_request.approved), or *`,
      'kinds',
    );
  if (clean.some((k) => !/^(\*|[a-z_]+(\.[a-z_]+)?)$/.test(k)))
    throw new DomainError('invalid_kinds', 'a kind is an entity type, an action, or *', 'kinds');
  return clean;
}

/**
 * Subscribes a URL to events by kind (I1): deliveries are signed with a secret made here and shown
 * only in this answer. Events from now on are delivered, not the book's past.
 */
export async function createWebhook(
  services: Services,
  actor: Actor,
  input: { url: string; kinds: string[]; batchSize?: number },
) {
  const url = validUrl(input.url);
  const kinds = validKinds(input.kinds);
  const batchSize = input.batchSize ?? 1;
  if (!(Number.isInteger(batchSize) && batchSize >= 1 && batchSize <= MAX_BATCH_SIZE))
    throw new DomainError(
      'invalid_batch_size',
      `batchSize must be a whole number from 1 to ${MAX_BATCH_SIZE}`,
      'batchSize',
    );
  const now = services.clock.now().toISOString();
  const row = {
    id: services.ids.next('whk'),
    url,
    kinds_json: JSON.stringify(kinds),
    secret: `whsec_${randomBytes(24).toString('hex')}`,
    status: 'active',
    failures_in_a_row: 0,
    disabled_reason: null,
    created_by: actor,
    created_at: now,
    batch_size: batchSize,
  };
  await services.store.db.transaction().execute(async (trx) => {
    // With no other active subscription the cursor stood still: it starts here, so this one gets
    // what happens from now on, not the book's past (nor what passed while nobody listened).
    const active = await trx
      .selectFrom('webhook_subscriptions')
      .select('id')
      .where('status', '=', 'active')
      .limit(1)
      .executeTakeFirst();
    if (!active) {
      const { last } = await trx
        .selectFrom('audit_events')
        .select((eb) => eb.fn.max('seq').as('last'))
        .executeTakeFirstOrThrow();
      const seq = Number(last ?? 0);
      await trx
        .insertInto('webhook_cursor')
        .values({ id: 1, seq })
        .onConflict((oc) => oc.column('id').doUpdateSet({ seq }))
        .execute();
    }
    await trx.insertInto('webhook_subscriptions').values(row).execute();
    await appendAudit(trx, actor, now, [
      {
        action: 'webhook_subscription.created',
        entityType: 'webhook_subscription',
        entityId: row.id,
        before: null,
        after: subscriptionView(row),
      },
    ]);
  });
  return { ...subscriptionView(row), secret: row.secret };
}

export async function listWebhooks(services: Services) {
  const rows = await services.store.db
    .selectFrom('webhook_subscriptions')
    .selectAll()
    .orderBy('id')
    .execute();
  return { items: rows.map(subscriptionView) };
}

async function subscriptionRow(services: Services, id: string) {
  const row = await services.store.db
    .selectFrom('webhook_subscriptions')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw new DomainError('webhook_not_found', `webhook subscription ${id} does not exist`);
  return row;
}

/** Turns a subscription off or on again (on again: its failure count starts afresh). */
export async function setWebhookStatus(
  services: Services,
  actor: Actor,
  id: string,
  status: 'active' | 'disabled',
  reason: string | null = null,
) {
  const before = await subscriptionRow(services, id);
  const now = services.clock.now().toISOString();
  const after = {
    ...before,
    status,
    failures_in_a_row: status === 'active' ? 0 : before.failures_in_a_row,
    disabled_reason: status === 'disabled' ? (reason ?? 'disabled by hand') : null,
  };
  await services.store.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('webhook_subscriptions')
      .set({ status, failures_in_a_row: after.failures_in_a_row, disabled_reason: after.disabled_reason })
      .where('id', '=', id)
      .execute();
    await appendAudit(trx, actor, now, [
      {
        action: `webhook_subscription.${status === 'active' ? 'enabled' : 'disabled'}`,
        entityType: 'webhook_subscription',
        entityId: id,
        before: subscriptionView(before),
        after: subscriptionView(after),
      },
    ]);
  });
  return subscriptionView(after);
}

/** The delivery log of a subscription, newest first. */
export async function webhookDeliveries(
  services: Services,
  id: string,
  input: { status?: string; limit?: number } = {},
) {
  await subscriptionRow(services, id);
  const rows = await services.store.db
    .selectFrom('webhook_deliveries')
    .selectAll()
    .where('subscription_id', '=', id)
    .$if(input.status !== undefined, (q) => q.where('status', '=', input.status as string))
    .orderBy('event_seq', 'desc')
    .limit(input.limit ?? 50)
    .execute();
  return { items: rows.map(deliveryView) };
}

/** Sends a delivery again from its first try (after the receiver was fixed). */
export async function redeliver(services: Services, id: string) {
  const now = services.clock.now().toISOString();
  const updated = await services.store.db
    .updateTable('webhook_deliveries')
    .set({ status: 'pending', attempts: 0, next_attempt_at: now, claim: null })
    .where('id', '=', id)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 0)
    throw new DomainError('delivery_not_found', `webhook delivery ${id} does not exist`);
  const row = await services.store.db
    .selectFrom('webhook_deliveries')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  return deliveryView(row);
}
