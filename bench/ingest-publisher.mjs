// The ERP side of bench:ingest, in a process of its own: publishes invoice events as fast as
// JetStream acknowledges them and reports how many are out.
import { jetstream } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';

const [url, subject, events, customers] = process.argv.slice(2);
const total = Number(events);
const nc = await connect({ servers: url });
const js = jetstream(nc);
const WINDOW = 1_000;
const started = performance.now();
for (let n = 0; n < total; n += WINDOW) {
  await Promise.all(
    Array.from({ length: Math.min(WINDOW, total - n) }, (_, k) => {
      const i = n + k;
      const body = {
        externalId: `IE-${i}`,
        customerExternalId: `IC-${i % Number(customers)}`,
        invoiceNumber: `IE-${i}`,
        issueDate: '2026-11-02',
        dueDate: '2026-12-02',
        amountMinor: 10_000 + (i % 997),
        currency: 'CNY',
      };
      return js.publish(subject, JSON.stringify(body), { msgID: `ie-${i}` });
    }),
  );
  process.send?.({ published: Math.min(total, n + WINDOW) });
}
process.send?.({ done: (performance.now() - started) / 1000 });
await nc.close();
