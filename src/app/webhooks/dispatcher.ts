import type { Selectable } from 'kysely';
import { DISABLE_AFTER_FAILURES, retryDelaySeconds, subscribed } from '../../core/webhooks/retry.js';
import { signatureHeader } from '../../core/webhooks/signature.js';
import type { WebhookDeliveryTable } from '../../store/schema.js';
import type { Executor } from '../../store/write.js';
import type { Services } from '../services.js';
import { OUTBOX_COLUMNS, outboxEvent } from './outbox-event.js';
import { setWebhookStatus } from './subscriptions.js';

const FAN_OUT_BATCH = 1_000;
const DELIVERY_BATCH = 100;
/** A try claimed by one process is not taken by another for this long. */
const CLAIM_MS = 60_000;
const TIMEOUT_MS = 10_000;
/** The start of a receiver's answer kept in the log. */
const RESPONSE_KEPT = 500;

/**
 * Queues a delivery for each new audit event (the outbox: only what committed) and each active
 * subscription that asked for its kind, and moves the cursor past them, in one transaction. Two
 * processes doing it at once queue nothing twice (one delivery per subscription and event).
 */
export async function fanOut(services: Services): Promise<number> {
  const { db } = services.store;
  return db.transaction().execute(async (trx) => {
    const cursor = (
      await trx.selectFrom('webhook_cursor').select('seq').where('id', '=', 1).executeTakeFirst()
    )?.seq;
    const subscriptions = (
      await trx
        .selectFrom('webhook_subscriptions')
        .select(['id', 'kinds_json'])
        .where('status', '=', 'active')
        .execute()
    ).map((s) => ({ id: s.id, kinds: JSON.parse(s.kinds_json) as string[] }));
    // Nobody subscribed: nothing to queue (a new subscription starts the cursor at its own making).
    if (cursor === undefined || subscriptions.length === 0) return 0;
    const events = await trx
      .selectFrom('audit_events')
      .select(OUTBOX_COLUMNS)
      .where('seq', '>', Number(cursor))
      .orderBy('seq')
      .limit(FAN_OUT_BATCH)
      .execute();
    if (events.length === 0) return 0;
    const now = services.clock.now().toISOString();
    const rows = events.flatMap((e) => {
      const event = outboxEvent(e);
      return subscriptions
        .filter((s) => subscribed(s.kinds, event))
        .map((s) => ({
          id: services.ids.next('whd'),
          subscription_id: s.id,
          event_seq: event.seq,
          body: JSON.stringify(event),
          status: 'pending',
          attempts: 0,
          next_attempt_at: now,
          last_status_code: null,
          last_error: null,
          last_response: null,
          delivered_at: null,
          created_at: now,
        }));
    });
    for (let k = 0; k < rows.length; k += 200)
      await trx
        .insertInto('webhook_deliveries')
        .values(rows.slice(k, k + 200))
        .onConflict((oc) => oc.columns(['subscription_id', 'event_seq']).doNothing())
        .execute();
    await moveCursor(trx, Number((events.at(-1) as { seq: number }).seq));
    return rows.length;
  });
}

async function moveCursor(trx: Executor, seq: number) {
  await trx
    .insertInto('webhook_cursor')
    .values({ id: 1, seq })
    .onConflict((oc) => oc.column('id').doUpdateSet({ seq }))
    .execute();
}

/**
 * Sends the deliveries that are due, each signed (`Fulcrum-Signature: t=…,v1=…`), and records what
 * the receiver answered: a 2xx delivers; anything else (or no answer in 10 s) is tried again later
 * with backoff and jitter for about a day, then given up; a subscription failing 50 times in a row
 * is disabled — an audit event tells the admins, and other subscribers of webhook events.
 */
export async function deliverDue(services: Services, send: typeof fetch = fetch): Promise<number> {
  const { db } = services.store;
  const now = services.clock.now();
  const due = await db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('webhook_subscriptions as s', 's.id', 'd.subscription_id')
    .selectAll('d')
    .select(['s.url', 's.secret'])
    .where('d.status', '=', 'pending')
    .where('s.status', '=', 'active')
    .where('d.next_attempt_at', '<=', now.toISOString())
    .orderBy('d.event_seq')
    .limit(DELIVERY_BATCH)
    .execute();
  const claimed = [];
  for (const d of due) {
    // Claimed in one statement: another process that read the same row finds it moved on.
    const taken = await db
      .updateTable('webhook_deliveries')
      .set({ next_attempt_at: new Date(now.getTime() + CLAIM_MS).toISOString() })
      .where('id', '=', d.id)
      .where('next_attempt_at', '=', d.next_attempt_at)
      .executeTakeFirst();
    if (Number(taken.numUpdatedRows) === 1) claimed.push(d);
  }
  await Promise.all(claimed.map((d) => attempt(services, d, send)));
  return claimed.length;
}

async function attempt(
  services: Services,
  d: Selectable<WebhookDeliveryTable> & { url: string; secret: string },
  send: typeof fetch,
) {
  const { db } = services.store;
  let status: number | null = null;
  let error: string | null = null;
  let response: string | null = null;
  try {
    const answer = await send(d.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Fulcrum-Webhooks/1',
        'fulcrum-event-id': String(d.event_seq),
        'fulcrum-delivery-id': d.id,
        'fulcrum-signature': signatureHeader(d.secret, d.body, services.clock.now()),
      },
      body: d.body,
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    status = answer.status;
    response = (await answer.text()).slice(0, RESPONSE_KEPT);
  } catch (e) {
    error = (e as Error).message.slice(0, RESPONSE_KEPT);
  }
  const ok = status !== null && status >= 200 && status < 300;
  const attempts = d.attempts + 1;
  const delay = ok ? null : retryDelaySeconds(attempts, Math.random());
  const at = services.clock.now();
  await db
    .updateTable('webhook_deliveries')
    .set({
      status: ok ? 'delivered' : delay === null ? 'failed' : 'pending',
      attempts,
      next_attempt_at: ok || delay === null ? null : new Date(at.getTime() + delay * 1000).toISOString(),
      last_status_code: status,
      last_error: error,
      last_response: response,
      delivered_at: ok ? at.toISOString() : null,
    })
    .where('id', '=', d.id)
    .execute();
  const sub = await db
    .updateTable('webhook_subscriptions')
    .set((eb) => ({ failures_in_a_row: ok ? 0 : eb('failures_in_a_row', '+', 1) }))
    .where('id', '=', d.subscription_id)
    .returning(['failures_in_a_row', 'status'])
    .executeTakeFirst();
  if (!ok && sub && sub.status === 'active' && sub.failures_in_a_row >= DISABLE_AFTER_FAILURES)
    await setWebhookStatus(
      services,
      'system:webhooks',
      d.subscription_id,
      'disabled',
      `${sub.failures_in_a_row} deliveries in a row failed (last: ${status ?? error})`,
    );
}

/** Fans out and delivers in the background while the server runs: at once when there was work, else each second. */
export function startWebhookDispatcher(
  services: Services,
  log: { error(message: string): void },
): { stop(): Promise<void> } {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let running: Promise<void> = Promise.resolve();
  const tick = () => {
    running = (async () => {
      let busy = false;
      try {
        busy = (await fanOut(services)) > 0;
        busy = (await deliverDue(services)) > 0 || busy;
      } catch (error) {
        log.error(`webhooks: ${(error as Error).message}; trying again`);
      }
      if (!stopped) timer = setTimeout(tick, busy ? 0 : 1_000);
    })();
  };
  tick();
  return {
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
