import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, headers } from '@nats-io/transport-node';
import type { Services } from '../app/services.js';
import type { NatsNames } from './nats-ingest.js';

/** Where ingest stands: what waits, what is in flight, what was refused, what was applied. */
export async function ingestStatus(services: Services, url: string, n: NatsNames) {
  const nc = await connect({ servers: url, name: 'fulcrum-ingest-status' });
  try {
    const jsm = await jetstreamManager(nc);
    const stream = await jsm.streams.info(n.inStream).catch(() => null);
    const consumer = stream ? await jsm.consumers.info(n.inStream, n.consumer).catch(() => null) : null;
    const dead = await jsm.streams.info(n.dlqStream).catch(() => null);
    const applied = await services.store.db
      .selectFrom('ingested_events')
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max('applied_at').as('last')])
      .executeTakeFirstOrThrow();
    return {
      stream: n.inStream,
      received: stream?.state.messages ?? 0,
      // Lag: events in the stream the consumer has not been given yet, and those given but not acknowledged.
      pending: consumer?.num_pending ?? null,
      inFlight: consumer?.num_ack_pending ?? null,
      redelivered: consumer?.num_redelivered ?? null,
      deadLetters: dead?.state.messages ?? 0,
      applied: Number(applied.n),
      lastAppliedAt: applied.last ?? null,
    };
  } finally {
    await nc.close();
  }
}

/**
 * Puts dead letters back on their subjects after a fix (a customer created, a mapping corrected),
 * under their original event ids — so each still applies at most once — and removes them from the
 * dead-letter stream. Returns how many went back.
 */
export async function replayDeadLetters(url: string, n: NatsNames, limit: number): Promise<number> {
  const nc = await connect({ servers: url, name: 'fulcrum-ingest-replay' });
  try {
    const jsm = await jetstreamManager(nc);
    const js = jetstream(nc);
    const info = await jsm.streams.info(n.dlqStream).catch(() => null);
    if (!info) return 0;
    let replayed = 0;
    for (let seq = info.state.first_seq; seq <= info.state.last_seq && replayed < limit; seq++) {
      const letter = await jsm.streams.getMessage(n.dlqStream, { seq }).catch(() => null);
      if (!letter) continue;
      const subject = letter.header.get('Fulcrum-Subject');
      const id = letter.header.get('Fulcrum-Event-Id');
      if (!subject || !id) continue;
      const h = headers();
      h.set('Fulcrum-Event-Id', id);
      h.set('Nats-Msg-Id', `replay:${id}:${Date.now()}`);
      await js.publish(subject, letter.data, { headers: h });
      await jsm.streams.deleteMessage(n.dlqStream, seq);
      replayed += 1;
    }
    return replayed;
  } finally {
    await nc.close();
  }
}
