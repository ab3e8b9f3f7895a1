import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Services } from '../app/services.js';
import { OUTBOX_COLUMNS, outboxEvent } from '../app/webhooks/outbox-event.js';
import { isStoreBusy, withoutWaiting } from '../store/db.js';
import { type IngestLog, type NatsNames, natsNames, streamNames } from './nats-ingest.js';

const BATCH = 500;
const IDLE_MS = 200;
/** Long enough that a relay restarted after a crash re-publishes nothing a consumer sees twice. */
const DUPLICATE_WINDOW_NS = 24 * 3_600_000_000_000;

/**
 * Publishes what happens in the book to `fulcrum.out.<entity>` (order, limit_request, invoice,
 * payment, credit_note, dunning_step…): the audit log is the outbox — every change writes its
 * audit event in its own transaction, so nothing is published that did not commit. The relay
 * reads events after its cursor in sequence order, publishes each with its audit sequence as the
 * message id (JetStream drops a repeat within the duplicate window, and consumers can deduplicate
 * by it), and moves the cursor only after the stream acknowledged: nothing committed is lost
 * across a crash.
 */
export async function startOutboxRelay(
  services: Services,
  nc: NatsConnection,
  log: IngestLog,
  n: NatsNames = natsNames(),
): Promise<{ stop(): Promise<void> }> {
  const jsm = await jetstreamManager(nc);
  const names = await streamNames(jsm);
  if (!names.has(n.outStream))
    await jsm.streams.add({
      name: n.outStream,
      subjects: [`${n.out}>`],
      duplicate_window: DUPLICATE_WINDOW_NS,
    });
  const js = jetstream(nc);
  const { db } = services.store;
  let stopped = false;
  let wake: (() => void) | null = null;
  const loop = (async () => {
    while (!stopped) {
      try {
        const cursor = Number(
          (await db.selectFrom('outbox_cursor').select('seq').where('id', '=', 1).executeTakeFirst())?.seq ??
            0,
        );
        const events = await db
          .selectFrom('audit_events')
          .select(OUTBOX_COLUMNS)
          .where('seq', '>', cursor)
          .orderBy('seq')
          .limit(BATCH)
          .execute();
        if (events.length > 0) {
          await Promise.all(
            events.map((e) =>
              js.publish(`${n.out}${e.entity_type}`, JSON.stringify(outboxEvent(e)), {
                msgID: `audit:${e.seq}`,
              }),
            ),
          );
          const last = Number(events.at(-1)?.seq);
          // Skipped, not waited for, while another connection holds SQLite's write lock: the events
          // go again on the next round, and JetStream drops the copies by their message ids.
          await withoutWaiting(() =>
            db
              .insertInto('outbox_cursor')
              .values({ id: 1, seq: last })
              .onConflict((oc) => oc.column('id').doUpdateSet({ seq: last }))
              .execute(),
          );
          if (events.length === BATCH) continue;
        }
      } catch (error) {
        if (!isStoreBusy(error)) log.error(`outbox relay: ${(error as Error).message}; trying again`);
      }
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, IDLE_MS);
      });
    }
  })();
  return {
    async stop() {
      stopped = true;
      (wake as (() => void) | null)?.();
      await loop;
    },
  };
}
