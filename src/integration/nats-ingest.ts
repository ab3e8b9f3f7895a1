import {
  AckPolicy,
  type JetStreamManager,
  type JsMsg,
  jetstream,
  jetstreamManager,
} from '@nats-io/jetstream';
import { connect, headers, type NatsConnection } from '@nats-io/transport-node';
import { observations } from '../app/observations.js';
import type { Services } from '../app/services.js';
import { DomainError } from '../core/errors.js';
import { inOneTransaction } from '../store/request-transaction.js';
import { applyEvent, EVENT_KINDS, type EventKind } from './apply-event.js';

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
/** An event whose customer or invoice has not arrived yet is delivered this often at most, the delay doubling. */
export interface ParkingPolicy {
  readonly deliveries: number;
  readonly firstDelayMs: number;
}
const PARKING: ParkingPolicy = { deliveries: 12, firstDelayMs: 500 };
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
async function ensureStreams(nc: NatsConnection, n: NatsNames): Promise<void> {
  const jsm = await jetstreamManager(nc);
  const existing = await streamNames(jsm);
  if (!existing.has(n.inStream))
    await jsm.streams.add({ name: n.inStream, subjects: [`${n.in}>`], duplicate_window: 3_600_000_000_000 });
  if (!existing.has(n.dlqStream)) await jsm.streams.add({ name: n.dlqStream, subjects: [`${n.dlq}>`] });
  await jsm.consumers.add(n.inStream, {
    durable_name: n.consumer,
    ack_policy: AckPolicy.Explicit,
    ack_wait: 60_000_000_000,
    filter_subject: `${n.in}>`,
  });
}

/**
 * Applies one event exactly once: its id is recorded in the same transaction as its effect (every
 * transaction of the use case becomes a savepoint of one held transaction), so a redelivery after
 * a crash finds the id and changes nothing.
 */
export async function applyOnce(
  services: Services,
  id: string,
  subject: string,
  kind: string,
  body: unknown,
): Promise<boolean> {
  if (!(EVENT_KINDS as readonly string[]).includes(kind))
    throw new DomainError(
      'unknown_event_kind',
      `subject ${subject}: Fulcrum reads ${EVENT_KINDS.join(', ')}`,
    );
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    throw new DomainError('invalid_json', 'the event body must be a JSON object');
  return inOneTransaction(services.store, async () => {
    const claimed = await services.store.db
      .insertInto('ingested_events')
      .values({ id, subject, applied_at: services.clock.now().toISOString() })
      .onConflict((oc) => oc.column('id').doNothing())
      .executeTakeFirst();
    if (Number(claimed.numInsertedOrUpdatedRows ?? 0) === 0) return false;
    await applyEvent(services, kind as EventKind, body as Record<string, unknown>);
    return true;
  });
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
  parking: ParkingPolicy = PARKING,
): Promise<{ nc: NatsConnection; stop(): Promise<void> }> {
  const nc = await connect({ servers: url, name: 'fulcrum-ingest' });
  await ensureStreams(nc, n);
  const js = jetstream(nc);
  const consumer = await js.consumers.get(n.inStream, n.consumer);
  /** The event's id: a replayed dead letter's original one, its Nats-Msg-Id, else its place in the stream. */
  const eventId = (m: JsMsg) =>
    m.headers?.get('Fulcrum-Event-Id') || m.headers?.get('Nats-Msg-Id') || `${n.inStream}:${m.seq}`;
  const kindOf = (m: JsMsg) => m.subject.slice(n.in.length);
  const messages = await consumer.consume({ max_messages: 256 });
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
  const done = (async () => {
    for await (const m of messages) {
      let body: unknown;
      try {
        body = m.json();
      } catch {
        await deadLetter(m, 'invalid_json', 'the event body is not JSON').catch(() => m.nak(1_000));
        seen(m, 'dead_letter');
        continue;
      }
      try {
        const applied = await applyOnce(services, eventId(m), m.subject, kindOf(m), body);
        m.ack();
        seen(m, applied ? 'applied' : 'repeat');
      } catch (error) {
        if (error instanceof DomainError) {
          if (WAIT_FOR.has(error.code) && m.info.deliveryCount < parking.deliveries) {
            m.nak(Math.min(30_000, parking.firstDelayMs * 2 ** (m.info.deliveryCount - 1)));
            seen(m, 'parked');
          } else {
            await deadLetter(m, error.code, error.message).catch(() => m.nak(1_000));
            seen(m, 'dead_letter');
          }
        } else {
          // The store failed, not the event: try it again shortly.
          log.error(`ingest of ${m.subject} ${eventId(m)} failed: ${(error as Error).message}`);
          m.nak(2_000);
          seen(m, 'retried');
        }
      }
    }
  })();
  log.info(`reading ERP events from ${url} (stream ${n.inStream}, consumer ${n.consumer})`);
  return {
    nc,
    async stop() {
      await messages.close();
      await done;
      await nc.drain();
    },
  };
}
