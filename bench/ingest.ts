/**
 * ERP event ingest over NATS JetStream (issue 19 targets: ≥ 20,000 events/s sustained into SQLite,
 * ≥ 5,000/s into PostgreSQL with two instances sharing the consumer, end to end — published →
 * committed — and the lag recovering after a burst). Invoice events for 1,000 customers are
 * published as fast as NATS takes them (its own publish rate is the ceiling reported beside), while
 * the ingest applies them; the lag is sampled every 100 ms. Usage:
 *   npm run bench:ingest [-- EVENTS [INSTANCES]]          (SQLite; DATABASE_URL=postgres://… for PostgreSQL)
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { createCustomers } from '../src/app/customers/create-customers.js';
import type { Services } from '../src/app/services.js';
import { natsNames, startNatsIngest } from '../src/integration/nats-ingest.js';
import { ulidIds } from '../src/system.js';
import { loadedStore } from './bulk-load.js';

const events = Number(process.argv[2] ?? 20_000);
const instances = Number(process.argv[3] ?? (process.env.DATABASE_URL ? 2 : 1));
const url = process.env.FULCRUM_NATS_URL ?? 'nats://127.0.0.1:4222';
const CUSTOMERS = 1_000;

const { store, cleanup } = await loadedStore([]);
const services: Services = {
  store,
  clock: { now: () => new Date(), today: () => new Date().toISOString().slice(0, 10) as never },
  ids: ulidIds(),
};
await createCustomers(
  services,
  'bench',
  Array.from({ length: CUSTOMERS }, (_, k) => ({
    externalId: `IC-${k}`,
    name: `Ingest bench customer ${k}`,
    country: 'CN',
    currency: 'CNY',
    segment: 'mid' as const,
  })),
);
const prefix = `ingestbench${Date.now()}`;
const names = natsNames(prefix);
const quiet = { info: () => undefined, error: (m: string) => console.error(m) };
const reader = await startNatsIngest(services, url, quiet, names);
// The other instances in processes of their own, as separate servers would be.
const others = await Promise.all(
  Array.from({ length: instances - 1 }, async () => {
    const child = fork(
      fileURLToPath(new URL('./ingest-instance.ts', import.meta.url)),
      [url, prefix, JSON.stringify(store.location)],
      { execArgv: ['--import', 'tsx'] },
    );
    await new Promise((resolve) => child.once('message', resolve));
    return child;
  }),
);
const nc = await connect({ servers: url });
const applied = async () =>
  Number(
    (
      await store.db
        .selectFrom('ingested_events')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
try {
  const start = performance.now();
  let published = 0;
  let publishSeconds = 0;
  const publisher = fork(fileURLToPath(new URL('./ingest-publisher.mjs', import.meta.url)), [
    url,
    `${names.in}invoices`,
    String(events),
    String(CUSTOMERS),
  ]);
  publisher.on('message', (m: { published?: number; done?: number }) => {
    if (m.published !== undefined) published = m.published;
    if (m.done !== undefined) publishSeconds = m.done;
  });
  let peakLag = 0;
  let done = 0;
  while (done < events) {
    await new Promise((r) => setTimeout(r, 100));
    done = await applied();
    peakLag = Math.max(peakLag, published - done);
    if (performance.now() - start > 600_000) throw new Error(`stalled at ${done} of ${events}`);
  }
  const seconds = (performance.now() - start) / 1000;
  while (publishSeconds === 0) await new Promise((r) => setTimeout(r, 10));
  console.log(
    JSON.stringify({
      store: store.dialect,
      instances,
      events,
      publishedPerSecond: Math.round(events / publishSeconds),
      committedPerSecond: Math.round(events / seconds),
      seconds: Number(seconds.toFixed(2)),
      peakLag,
      lagRecoveredSecondsAfterBurst: Number((seconds - publishSeconds).toFixed(2)),
    }),
  );
} finally {
  await reader.stop();
  await Promise.all(
    others.map((child) => {
      child.send('stop');
      return new Promise((resolve) => child.once('exit', resolve));
    }),
  );
  const jsm = await jetstreamManager(nc);
  for (const stream of [names.inStream, names.dlqStream, names.outStream])
    await jsm.streams.delete(stream).catch(() => undefined);
  await nc.close();
  await cleanup();
}
