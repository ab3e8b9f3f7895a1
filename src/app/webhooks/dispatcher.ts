import { randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import { DISABLE_AFTER_FAILURES, retryDelaySeconds, subscribed } from '../../core/webhooks/retry.js';
import { isStoreBusy, withoutWaiting } from '../../store/db.js';
import type { WebhookDeliveryTable } from '../../store/schema.js';
import { chunkOf, type Executor } from '../../store/write.js';
import { observations } from '../observations.js';
import type { Services } from '../services.js';
import { OUTBOX_COLUMNS, outboxEvent } from './outbox-event.js';
import { postJson } from './post-json.js';
import { signatureHeader } from './signature.js';
import { setWebhookStatus } from './subscriptions.js';

const FAN_OUT_BATCH = 1_000;
/** How long the dispatcher rests when it found nothing to do. */
const IDLE_MS = 200;
const DELIVERY_BATCH = 1_000;
/** Requests in flight at once. */
const CONCURRENCY = 64;
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
    // Nobody subscribed: nothing to queue (the first active subscription moves the cursor to its making).
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
      const body = JSON.stringify(event);
      return subscriptions
        .filter((s) => subscribed(s.kinds, event))
        .map((s) => ({
          id: services.ids.next('whd'),
          subscription_id: s.id,
          event_seq: event.seq,
          body,
          status: 'pending',
          attempts: 0,
          next_attempt_at: now,
          claim: null,
          last_status_code: null,
          last_error: null,
          last_response: null,
          delivered_at: null,
          created_at: now,
        }));
    });
    for (const chunk of chunkOf(rows, 200))
      await trx
        .insertInto('webhook_deliveries')
        .values(chunk)
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
 * the receivers answered: a 2xx delivers; anything else (or no answer in 10 s) is tried again later
 * with backoff and jitter for about a day, then given up; a subscription failing 50 times in a row
 * is disabled — an audit event tells the admins, and other subscribers of webhook events. A batch
 * is claimed in one statement (several processes share the work) and its outcomes written in one
 * transaction.
 */
export async function deliverDue(services: Services): Promise<number> {
  const { db } = services.store;
  const now = services.clock.now().toISOString();
  const claim = randomUUID();
  const due = db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('webhook_subscriptions as s', 's.id', 'd.subscription_id')
    .select('d.id')
    .where('d.status', '=', 'pending')
    .where('s.status', '=', 'active')
    .where('d.next_attempt_at', '<=', now)
    .orderBy('d.next_attempt_at')
    .orderBy('d.event_seq')
    .limit(DELIVERY_BATCH);
  const rows = await db
    .updateTable('webhook_deliveries')
    .set({ claim, next_attempt_at: new Date(Date.parse(now) + CLAIM_MS).toISOString() })
    .where('id', 'in', due)
    // Checked again as the row is updated: what another process claimed meanwhile is not due.
    .where('status', '=', 'pending')
    .where('next_attempt_at', '<=', now)
    .returningAll()
    .execute();
  const subscriptions = new Map(
    rows.length === 0
      ? []
      : (
          await db
            .selectFrom('webhook_subscriptions')
            .select(['id', 'url', 'secret', 'batch_size'])
            .where('id', 'in', [...new Set(rows.map((r) => r.subscription_id))])
            .execute()
        ).map((s) => [s.id, s]),
  );
  const claimed = rows
    .flatMap((r) => {
      const s = subscriptions.get(r.subscription_id);
      return s ? [{ ...r, url: s.url, secret: s.secret, batchSize: s.batch_size }] : [];
    })
    .sort((a, b) => Number(a.event_seq) - Number(b.event_seq));
  if (claimed.length === 0) return 0;
  const sends = requests(claimed);
  const outcomeOf = new Map<string, Outcome>();
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(CONCURRENCY, sends.length) }, async () => {
      while (next < sends.length) {
        const send = sends[next++] as Claimed[];
        const outcome = await attempt(services, send);
        for (const d of send) outcomeOf.set(d.id, outcome);
        observations.emit('webhook.attempt', { ok: succeeded(outcome) });
      }
    }),
  );
  await record(
    services,
    claimed,
    claimed.map((d) => outcomeOf.get(d.id) as Outcome),
  );
  return claimed.length;
}

/** The requests to make: one per delivery, or for a subscriber taking batches its deliveries in event order, up to its batch size a request. */
function requests(claimed: readonly Claimed[]): Claimed[][] {
  const sends: Claimed[][] = [];
  const open = new Map<string, Claimed[]>();
  for (const d of claimed) {
    if (d.batchSize <= 1) {
      sends.push([d]);
      continue;
    }
    let batch = open.get(d.subscription_id);
    if (!batch || batch.length >= d.batchSize) {
      batch = [];
      open.set(d.subscription_id, batch);
      sends.push(batch);
    }
    batch.push(d);
  }
  return sends;
}

type Claimed = Selectable<WebhookDeliveryTable> & { url: string; secret: string; batchSize: number };
interface Outcome {
  readonly status: number | null;
  readonly error: string | null;
  readonly response: string | null;
  readonly at: string;
}
const succeeded = (o: Outcome) => o.status !== null && o.status >= 200 && o.status < 300;

async function attempt(services: Services, send: readonly Claimed[]): Promise<Outcome> {
  const first = send[0] as Claimed;
  // A subscriber taking batches always gets {"events":[…]}, however few there are.
  const body = first.batchSize > 1 ? `{"events":[${send.map((d) => d.body).join(',')}]}` : first.body;
  try {
    const answer = await postJson(
      first.url,
      {
        'user-agent': 'Fulcrum-Webhooks/1',
        'fulcrum-event-id': send.map((d) => String(d.event_seq)).join(','),
        'fulcrum-delivery-id': first.id,
        'fulcrum-signature': signatureHeader(first.secret, body, services.clock.now()),
      },
      body,
      TIMEOUT_MS,
      RESPONSE_KEPT,
    );
    return {
      status: answer.status,
      error: null,
      response: answer.text,
      at: services.clock.now().toISOString(),
    };
  } catch (e) {
    const error = (e as Error).message.slice(0, RESPONSE_KEPT);
    return { status: null, error, response: null, at: services.clock.now().toISOString() };
  }
}

/** Each try's outcome, and each subscription's run of failures, in one transaction. */
async function record(services: Services, claimed: readonly Claimed[], outcomes: readonly Outcome[]) {
  const { db } = services.store;
  const streaks = await db.transaction().execute(async (trx) => {
    const streak = new Map<string, { failures: number; reset: boolean; last: string }>();
    const counts = new Set<Outcome>();
    // Successes with the same answer are recorded together (the latest time of the group).
    const delivered = new Map<
      string,
      { status: number | null; response: string | null; at: string; ids: string[] }
    >();
    for (const [k, d] of claimed.entries()) {
      const o = outcomes[k] as Outcome;
      const ok = succeeded(o);
      if (ok) {
        const key = `${o.status} ${o.response}`;
        const group = delivered.get(key) ?? { status: o.status, response: o.response, at: o.at, ids: [] };
        group.ids.push(d.id);
        if (o.at > group.at) group.at = o.at;
        delivered.set(key, group);
      } else {
        const attempts = d.attempts + 1;
        const delay = retryDelaySeconds(attempts, Math.random());
        await trx
          .updateTable('webhook_deliveries')
          .set({
            status: delay === null ? 'failed' : 'pending',
            attempts,
            claim: null,
            next_attempt_at: delay === null ? null : new Date(Date.parse(o.at) + delay * 1000).toISOString(),
            last_status_code: o.status,
            last_error: o.error,
            last_response: o.response,
            delivered_at: null,
          })
          .where('id', '=', d.id)
          .where('claim', '=', d.claim ?? '')
          .execute();
      }
      // In event order: a success ends the run of failures before it. A failed request counts
      // once, however many events it carried.
      const s = streak.get(d.subscription_id) ?? { failures: 0, reset: false, last: '' };
      const counted = counts.has(o);
      counts.add(o);
      streak.set(
        d.subscription_id,
        ok
          ? { failures: 0, reset: true, last: '' }
          : { ...s, failures: s.failures + (counted ? 0 : 1), last: String(o.status ?? o.error) },
      );
    }
    const claim = claimed[0]?.claim ?? '';
    for (const group of delivered.values())
      for (const ids of chunkOf(group.ids, 500))
        await trx
          .updateTable('webhook_deliveries')
          .set((eb) => ({
            status: 'delivered',
            attempts: eb('attempts', '+', 1),
            claim: null,
            next_attempt_at: null,
            last_status_code: group.status,
            last_error: null,
            last_response: group.response,
            delivered_at: group.at,
          }))
          .where('id', 'in', ids)
          .where('claim', '=', claim)
          .execute();
    const result: { id: string; failures: number; last: string }[] = [];
    for (const [id, s] of streak) {
      const row = await trx
        .updateTable('webhook_subscriptions')
        .set((eb) => ({ failures_in_a_row: s.reset ? s.failures : eb('failures_in_a_row', '+', s.failures) }))
        .where('id', '=', id)
        .returning(['failures_in_a_row', 'status'])
        .executeTakeFirst();
      if (row?.status === 'active' && row.failures_in_a_row >= DISABLE_AFTER_FAILURES)
        result.push({ id, failures: row.failures_in_a_row, last: s.last });
    }
    return result;
  });
  for (const s of streaks)
    await setWebhookStatus(
      services,
      'system:webhooks',
      s.id,
      'disabled',
      `${s.failures} deliveries in a row failed (last: ${s.last})`,
    );
}

/** Fans out and delivers in the background while the server runs: at once when there was work, else after a fifth of a second. */
export function startWebhookDispatcher(
  services: Services,
  log: { error(message: string): void },
): { stop(): Promise<void> } {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let running: Promise<void> = Promise.resolve();
  const tick = () => {
    // A round whose writes find the book's write lock taken (an import on its thread) gives up at
    // once and comes again, rather than wait for it and hold every request meanwhile.
    running = withoutWaiting(async () => {
      let busy = false;
      try {
        busy = (await fanOut(services)) > 0;
        busy = (await deliverDue(services)) > 0 || busy;
      } catch (error) {
        if (!isStoreBusy(error)) log.error(`webhooks: ${(error as Error).message}; trying again`);
      }
      if (!stopped) timer = setTimeout(tick, busy ? 0 : IDLE_MS);
    });
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
