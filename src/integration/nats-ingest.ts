import {
  AckPolicy,
  type JetStreamManager,
  type JsMsg,
  jetstream,
  jetstreamManager,
} from '@nats-io/jetstream';
import { connect, headers, type NatsConnection } from '@nats-io/transport-node';
import { observations } from '../app/observations.js';
import { BatchRejected } from '../app/row-errors.js';
import type { Services } from '../app/services.js';
import { DomainError } from '../core/errors.js';
import { inOneTransaction } from '../store/request-transaction.js';
import { chunkOf } from '../store/write.js';
import { applyEvent, BULK_KINDS, EVENT_KINDS, type EventKind } from './apply-event.js';

/**
 * The names a deployment uses on the NATS server, from one prefix (`FULCRUM_NATS_PREFIX`, default
 * `fulcrum`): subjects `<prefix>.in.<kind>`, `<prefix>.out.<entity>`, `<prefix>.dlq.<kind>`, streams
 * `<PREFIX>_IN`, `_OUT`, `_DLQ`, and the durable consumer `<prefix>` its instances share.
 */
export function natsNames(prefix = 'fulcrum') {
  const upper = prefix.toUpperCase().replace(/[^A-Z0-9_-]/g, '_');
  return {
    in: `${prefix}.in.`,
    out: `${prefix}.out.`,
    dlq: `${prefix}.dlq.`,
    inStream: `${upper}_IN`,
    outStream: `${upper}_OUT`,
    dlqStream: `${upper}_DLQ`,
    consumer: prefix.replace(/[^A-Za-z0-9_-]/g, '_'),
  };
}
export type NatsNames = ReturnType<typeof natsNames>;
/**
 * How events come again: one whose customer or invoice has not arrived yet is delivered
 * `deliveries` times at most, the delay doubling from `firstDelayMs`.
 */
export interface DeliveryPolicy {
  /** How long an event delivered and not acknowledged (its instance died mid-batch) waits before another instance gets it. */
  readonly ackWaitSeconds: number;
  readonly deliveries: number;
  readonly firstDelayMs: number;
}
const DELIVERY: DeliveryPolicy = {
  ackWaitSeconds: Number(process.env.FULCRUM_NATS_ACK_WAIT_SECONDS) || 60,
  deliveries: 12,
  firstDelayMs: 500,
};
/** Codes that mean "its reference may arrive later": the event is parked, not refused. */
const WAIT_FOR = new Set(['customer_not_found', 'unknown_customer', 'invoice_not_found', 'unknown_invoice']);

export interface IngestLog {
  info(message: string): void;
  error(message: string): void;
}

/** The streams the server holds, by name: what to create is what is missing. */
export async function streamNames(jsm: JetStreamManager): Promise<Set<string>> {
  const names = new Set<string>();
  for await (const s of jsm.streams.list()) names.add(s.config.name);
  return names;
}

/** Creates the streams Fulcrum reads and dead-letters to when they are missing, and the shared consumer. */
async function ensureStreams(nc: NatsConnection, n: NatsNames, ackWaitSeconds: number): Promise<void> {
  const jsm = await jetstreamManager(nc);
  const existing = await streamNames(jsm);
  if (!existing.has(n.inStream))
    await jsm.streams.add({ name: n.inStream, subjects: [`${n.in}>`], duplicate_window: 3_600_000_000_000 });
  if (!existing.has(n.dlqStream)) await jsm.streams.add({ name: n.dlqStream, subjects: [`${n.dlq}>`] });
  const consumer = {
    durable_name: n.consumer,
    ack_policy: AckPolicy.Explicit,
    ack_wait: ackWaitSeconds * 1_000_000_000,
    // Room for several batches in flight across the instances (the default is 1,000).
    max_ack_pending: 20_000,
    filter_subject: `${n.in}>`,
  };
  // Made once; a later start with other settings (an upgrade, another ack wait) updates it.
  const made = await jsm.consumers.info(n.inStream, n.consumer).catch(() => null);
  if (!made) await jsm.consumers.add(n.inStream, consumer);
  else if (
    made.config.ack_wait !== consumer.ack_wait ||
    made.config.max_ack_pending !== consumer.max_ack_pending
  )
    await jsm.consumers.update(n.inStream, n.consumer, {
      ack_wait: consumer.ack_wait,
      max_ack_pending: consumer.max_ack_pending,
    });
}

/** One event as read: its id, where it came from, what it says. */
export interface IngestEvent {
  readonly id: string;
  readonly subject: string;
  readonly kind: string;
  readonly body: unknown;
}

export type IngestOutcome = { readonly applied: boolean } | { readonly error: DomainError };

const CLAIM_CHUNK = 500;
/** Events applied in one transaction at most (SQLite's write lock is held that long). */
const MAX_BATCH = 500;
/** How often the backlog is read for the metrics. */
const LAG_EVERY_MS = 5_000;

function checkEvent(event: IngestEvent): DomainError | null {
  if (!(EVENT_KINDS as readonly string[]).includes(event.kind))
    return new DomainError(
      'unknown_event_kind',
      `subject ${event.subject}: Fulcrum reads ${EVENT_KINDS.join(', ')}`,
    );
  if (event.body === null || typeof event.body !== 'object' || Array.isArray(event.body))
    return new DomainError('invalid_json', 'the event body must be a JSON object');
  return null;
}

/**
 * Applies a batch of events in one transaction, each exactly once: the ids are claimed with their
 * effects (a redelivery after a crash finds its id and changes nothing). Runs of events of one kind
 * are written together through the batch use cases; a run that is refused is applied event by
 * event, each in a savepoint, so a bad event undoes only itself and gives back its claim (to be
 * parked or dead-lettered). A failure of the store fails the whole batch: nothing of it committed.
 */
export async function applyBatch(
  services: Services,
  events: readonly IngestEvent[],
): Promise<IngestOutcome[]> {
  const items = events.map((event) => {
    const error = checkEvent(event);
    return { event, outcome: (error ? { error } : { applied: false }) as IngestOutcome };
  });
  const { db } = services.store;
  await inOneTransaction(services.store, async () => {
    const fresh = new Set<string>();
    const valid = items.filter((i) => !('error' in i.outcome));
    const subjectOf = new Map(valid.map((i) => [i.event.id, i.event.subject]));
    const now = services.clock.now().toISOString();
    for (const ids of chunkOf([...subjectOf.keys()], CLAIM_CHUNK)) {
      const claimed = await db
        .insertInto('ingested_events')
        .values(ids.map((id) => ({ id, subject: subjectOf.get(id) ?? '', applied_at: now })))
        .onConflict((oc) => oc.column('id').doNothing())
        .returning('id')
        .execute();
      for (const row of claimed) fresh.add(row.id);
    }
    // The first of a repeated id is applied; the rest are repeats.
    const toApply = valid.filter((i) => fresh.delete(i.event.id));
    for (let start = 0; start < toApply.length; ) {
      const kind = toApply[start]?.event.kind as EventKind;
      let end = start + 1;
      while (toApply[end]?.event.kind === kind) end++;
      const run = toApply.slice(start, end);
      start = end;
      const bulk = BULK_KINDS[kind];
      if (bulk && run.length > 1) {
        const together = await db
          .transaction()
          .execute(() =>
            bulk(
              services,
              run.map((i) => i.event.body as Record<string, unknown>),
            ),
          )
          .then(() => true)
          .catch((error: unknown) => {
            if (error instanceof DomainError || error instanceof BatchRejected) return false;
            throw error;
          });
        if (together) {
          for (const i of run) i.outcome = { applied: true };
          continue;
        }
      }
      for (const i of run) {
        try {
          await db
            .transaction()
            .execute(() => applyEvent(services, kind, i.event.body as Record<string, unknown>));
          i.outcome = { applied: true };
        } catch (error) {
          if (!(error instanceof DomainError)) throw error;
          i.outcome = { error };
          await db.deleteFrom('ingested_events').where('id', '=', i.event.id).execute();
        }
      }
    }
  });
  return items.map((i) => i.outcome);
}

/** Applies one event exactly once (see applyBatch); a refused event throws its error. */
export async function applyOnce(
  services: Services,
  id: string,
  subject: string,
  kind: string,
  body: unknown,
): Promise<boolean> {
  const [outcome] = await applyBatch(services, [{ id, subject, kind, body }]);
  if (!outcome || 'error' in outcome)
    throw outcome?.error ?? new DomainError('invalid_request', 'no outcome');
  return outcome.applied;
}

/**
 * Reads ERP events from JetStream (FULCRUM_NATS_URL): subjects fulcrum.in.customers, orders,
 * invoices, payments and credit-notes, through one durable pull consumer that every instance of a
 * deployment shares (the server splits the work). A refused event goes to fulcrum.dlq.<kind> with
 * its error code and reason and is never retried; one whose customer or invoice has not arrived
 * yet is parked and retried, with a growing delay, a bounded number of times.
 */
export async function startNatsIngest(
  services: Services,
  url: string,
  log: IngestLog,
  n: NatsNames = natsNames(),
  parking: DeliveryPolicy = DELIVERY,
): Promise<{ nc: NatsConnection; stop(): Promise<void> }> {
  const nc = await connect({ servers: url, name: 'fulcrum-ingest' });
  await ensureStreams(nc, n, parking.ackWaitSeconds);
  const js = jetstream(nc);
  const consumer = await js.consumers.get(n.inStream, n.consumer);
  /** The event's id: a replayed dead letter's original one, its Nats-Msg-Id, else its place in the stream. */
  const eventId = (m: JsMsg) =>
    m.headers?.get('Fulcrum-Event-Id') || m.headers?.get('Nats-Msg-Id') || `${n.inStream}:${m.seq}`;
  const kindOf = (m: JsMsg) => m.subject.slice(n.in.length);
  const messages = await consumer.consume({ max_messages: MAX_BATCH * 2 });
  const deadLetter = async (m: JsMsg, code: string, reason: string) => {
    const h = headers();
    h.set('Fulcrum-Error-Code', code);
    h.set('Fulcrum-Error-Reason', reason.slice(0, 1_000));
    h.set('Fulcrum-Event-Id', eventId(m));
    h.set('Fulcrum-Subject', m.subject);
    await js.publish(`${n.dlq}${kindOf(m) || 'unknown'}`, m.data, {
      headers: h,
      // Per stream message: a redelivery of it is dropped, a replay refused again is a new letter.
      msgID: `dlq:${eventId(m)}:${m.seq}`,
    });
    m.term(`${code}: ${reason}`);
  };
  const seen = (m: JsMsg, outcome: 'applied' | 'repeat' | 'parked' | 'dead_letter' | 'retried') =>
    observations.emit('ingest.event', { kind: kindOf(m), outcome });
  // Messages are taken as they come and applied in batches of what has arrived meanwhile: one
  // transaction for many events when they come fast, one for each when they trickle in.
  const queue: JsMsg[] = [];
  let closed = false;
  let wake = null as (() => void) | null;
  const pulling = (async () => {
    for await (const m of messages) {
      queue.push(m);
      wake?.();
    }
    closed = true;
    wake?.();
  })();
  const handle = async (batch: JsMsg[]) => {
    const readable: { m: JsMsg; event: IngestEvent }[] = [];
    for (const m of batch) {
      try {
        readable.push({ m, event: { id: eventId(m), subject: m.subject, kind: kindOf(m), body: m.json() } });
      } catch {
        await deadLetter(m, 'invalid_json', 'the event body is not JSON').catch(() => m.nak(1_000));
        seen(m, 'dead_letter');
      }
    }
    let outcomes: IngestOutcome[];
    try {
      outcomes = await applyBatch(
        services,
        readable.map((r) => r.event),
      );
    } catch (error) {
      // The store failed, not the events: try them again shortly.
      log.error(`ingest of ${readable.length} event(s) failed: ${(error as Error).message}`);
      for (const { m } of readable) {
        m.nak(2_000);
        seen(m, 'retried');
      }
      return;
    }
    for (const [k, { m }] of readable.entries()) {
      const outcome = outcomes[k] as IngestOutcome;
      if (!('error' in outcome)) {
        m.ack();
        seen(m, outcome.applied ? 'applied' : 'repeat');
      } else if (WAIT_FOR.has(outcome.error.code) && m.info.deliveryCount < parking.deliveries) {
        m.nak(Math.min(30_000, parking.firstDelayMs * 2 ** (m.info.deliveryCount - 1)));
        seen(m, 'parked');
      } else {
        await deadLetter(m, outcome.error.code, outcome.error.message).catch(() => m.nak(1_000));
        seen(m, 'dead_letter');
      }
    }
  };
  const applying = (async () => {
    for (;;) {
      if (queue.length === 0) {
        if (closed) return;
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        wake = null;
        continue;
      }
      // Let the socket deliver what has arrived meanwhile (the store's work held the event loop):
      // a bigger batch costs one commit for more events.
      for (let before = -1; queue.length < MAX_BATCH && queue.length > before; ) {
        before = queue.length;
        await new Promise((resolve) => setImmediate(resolve));
      }
      const batch = queue.splice(0, MAX_BATCH);
      await handle(batch);
    }
  })();
  // The backlog, for the metrics: read every LAG_EVERY_MS while the instance runs.
  const lag = setInterval(() => {
    consumer
      .info()
      .then((info) =>
        observations.emit('ingest.lag', { pending: info.num_pending, inFlight: info.num_ack_pending }),
      )
      .catch(() => undefined);
  }, LAG_EVERY_MS);
  lag.unref();
  log.info(`reading ERP events from ${url} (stream ${n.inStream}, consumer ${n.consumer})`);
  return {
    nc,
    async stop() {
      clearInterval(lag);
      await messages.close();
      await pulling;
      await applying;
      await nc.drain();
    },
  };
}
