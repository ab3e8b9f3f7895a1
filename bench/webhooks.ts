/**
 * Webhook fan-out (issue 19 target: 10,000 events to 10 subscribers, p99 delivery delay ≤ 1 s on
 * loopback). Customers are created in batches of 100 at a steady rate (each an audit event), ten
 * subscriptions take them all, a local receiver answers 200; the delay is from the event's
 * commit to its receipt. BATCH_SIZE above 1 makes the subscribers take batches (up to that many
 * events a request). Usage: npm run bench:webhooks [-- EVENTS EVENTS_PER_SECOND BATCH_SIZE]
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createCustomers } from '../src/app/customers/create-customers.js';
import type { Services } from '../src/app/services.js';
import { startWebhookDispatcher } from '../src/app/webhooks/dispatcher.js';
import { createWebhook } from '../src/app/webhooks/subscriptions.js';
import { ulidIds } from '../src/system.js';
import { loadedStore } from './bulk-load.js';

const events = Number(process.argv[2] ?? 10_000);
const perSecond = Number(process.argv[3] ?? 1_000);
const batchSize = Number(process.argv[4] ?? 1);
const SUBSCRIBERS = 10;
const BATCH = 100;

const { store, cleanup } = await loadedStore([]);
const services: Services = {
  store,
  clock: { now: () => new Date(), today: () => new Date().toISOString().slice(0, 10) as never },
  ids: ulidIds(),
};
const committedAt = new Map<string, number>();
const delays: number[] = [];
// The receiver in a process of its own, as a subscriber's server would be: it reports each
// receipt's wall-clock time back.
const receiver = fork(fileURLToPath(new URL('./webhook-receiver.mjs', import.meta.url)));
const port = await new Promise<number>((resolve) =>
  receiver.once('message', (m: { port: number }) => resolve(m.port)),
);
receiver.on('message', (m: { entityIds?: [string, number][] }) => {
  for (const [entityId, at] of m.entityIds ?? []) {
    const committed = committedAt.get(entityId);
    if (committed !== undefined) delays.push(at - committed);
  }
});
const url = `http://127.0.0.1:${port}/`;
try {
  for (let k = 0; k < SUBSCRIBERS; k++)
    await createWebhook(services, 'bench', { url, kinds: ['customer'], batchSize });
  const dispatcher = startWebhookDispatcher(services, { error: (m) => console.error(m) });
  const started = performance.now();
  for (let n = 0; n < events; n += BATCH) {
    const created = await createCustomers(
      services,
      'bench',
      Array.from({ length: Math.min(BATCH, events - n) }, (_, k) => ({
        externalId: `WB-${n + k}`,
        name: `Webhook bench ${n + k}`,
        country: 'CN',
        currency: 'CNY',
        segment: 'mid' as const,
      })),
    );
    const now = Date.now();
    for (const c of created) committedAt.set(c.id, now);
    const due = started + ((n + BATCH) / perSecond) * 1000;
    if (due > performance.now()) await new Promise((r) => setTimeout(r, due - performance.now()));
  }
  const deadline = performance.now() + 300_000;
  while (delays.length < events * SUBSCRIBERS && performance.now() < deadline)
    await new Promise((r) => setTimeout(r, 100));
  await dispatcher.stop();
  delays.sort((a, b) => a - b);
  const q = (p: number) =>
    Math.round(delays[Math.min(delays.length - 1, Math.floor(p * delays.length))] ?? 0);
  console.log(
    JSON.stringify({
      events,
      subscribers: SUBSCRIBERS,
      eventsPerSecond: perSecond,
      batchSize,
      delivered: delays.length,
      seconds: Number(((performance.now() - started) / 1000).toFixed(1)),
      delayMs: { p50: q(0.5), p99: q(0.99), max: Math.round(delays.at(-1) ?? 0) },
    }),
  );
} finally {
  receiver.kill();
  await cleanup();
}
