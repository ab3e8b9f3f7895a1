/**
 * The floor for bench:ingest: the least a durable, exactly-once ingest of invoice events can do on
 * this machine — the same publisher process and JetStream consumer, and for each batch of what has
 * arrived one transaction synced to disk (WAL, synchronous = FULL) writing each event's id, the
 * invoice (with the unique external id and the customer and due-date indexes Fulcrum keeps), a
 * hash-chained audit event and the exposure, then acknowledging. Hand-written on better-sqlite3:
 * no validation, no use cases, no savepoints — a ceiling, not a product.
 * Usage: npx tsx bench/ingest-floor.ts [EVENTS]
 */
import { fork } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AckPolicy, type JsMsg, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import Database from 'better-sqlite3';

const events = Number(process.argv[2] ?? 60_000);
const url = process.env.FULCRUM_NATS_URL ?? 'nats://127.0.0.1:4222';
const prefix = `floor${Date.now()}`;
const dir = mkdtempSync(join(tmpdir(), 'fulcrum-ingest-floor-'));
const db = new Database(join(dir, 'floor.db'));
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.exec(`
  create table ingested_events (id text primary key, applied_at text not null);
  create table invoices (id integer primary key, external_id text not null unique, customer_id text not null,
    invoice_number text not null, issue_date text not null, due_date text not null, amount_minor integer not null,
    currency text not null, open_minor integer not null);
  create index invoices_customer on invoices (customer_id, due_date);
  create index invoices_open on invoices (open_minor, due_date);
  create table audit_events (seq integer primary key, occurred_at text not null, action text not null,
    entity_id text not null, after_json text not null, prev_hash text not null, hash text not null);
  create table exposure (customer_id text primary key, receivables_minor integer not null);`);
const claim = db.prepare('insert or ignore into ingested_events values (?, ?)');
const insertInvoice = db.prepare(
  'insert into invoices (external_id, customer_id, invoice_number, issue_date, due_date, amount_minor, currency, open_minor) values (?, ?, ?, ?, ?, ?, ?, ?)',
);
const insertAudit = db.prepare(
  'insert into audit_events (occurred_at, action, entity_id, after_json, prev_hash, hash) values (?, ?, ?, ?, ?, ?)',
);
const addExposure = db.prepare(
  'insert into exposure values (?, ?) on conflict (customer_id) do update set receivables_minor = receivables_minor + excluded.receivables_minor',
);
let prevHash = '0'.repeat(64);
const applyBatch = db.transaction((batch: JsMsg[]) => {
  const now = new Date().toISOString();
  for (const m of batch) {
    const id = m.headers?.get('Nats-Msg-Id') || String(m.seq);
    if (claim.run(id, now).changes === 0) continue;
    const b = m.json<Record<string, string & number>>();
    insertInvoice.run(
      b.externalId,
      b.customerExternalId,
      b.invoiceNumber,
      b.issueDate,
      b.dueDate,
      b.amountMinor,
      b.currency,
      b.amountMinor,
    );
    const after = JSON.stringify(b);
    const hash = createHash('sha256')
      .update(`${prevHash}|${now}|invoice.created|${b.externalId}|${after}`)
      .digest('hex');
    insertAudit.run(now, 'invoice.created', b.externalId, after, prevHash, hash);
    prevHash = hash;
    addExposure.run(b.customerExternalId, b.amountMinor);
  }
});

const nc = await connect({ servers: url });
const jsm = await jetstreamManager(nc);
const inStream = `${prefix.toUpperCase()}_IN`;
await jsm.streams.add({ name: inStream, subjects: [`${prefix}.in.>`] });
await jsm.consumers.add(inStream, {
  durable_name: prefix,
  ack_policy: AckPolicy.Explicit,
  max_ack_pending: 20_000,
});
const messages = await (await jetstream(nc).consumers.get(inStream, prefix)).consume({ max_messages: 1_000 });
const queue: JsMsg[] = [];
let applied = 0;
const pulling = (async () => {
  for await (const m of messages) queue.push(m);
})();
const start = performance.now();
let publishSeconds = 0;
const publisher = fork(fileURLToPath(new URL('./ingest-publisher.mjs', import.meta.url)), [
  url,
  `${prefix}.in.invoices`,
  String(events),
  '1000',
]);
publisher.on('message', (m: { done?: number }) => {
  if (m.done !== undefined) publishSeconds = m.done;
});
while (applied < events) {
  if (queue.length === 0) {
    await new Promise((resolve) => setImmediate(resolve));
    continue;
  }
  const batch = queue.splice(0, 500);
  applyBatch(batch);
  for (const m of batch) m.ack();
  applied += batch.length;
}
const seconds = (performance.now() - start) / 1000;
while (publishSeconds === 0) await new Promise((r) => setTimeout(r, 10));
console.log(
  JSON.stringify({
    bench: 'ingest-floor',
    events,
    publishedPerSecond: Math.round(events / publishSeconds),
    committedPerSecond: Math.round(events / seconds),
    seconds: Number(seconds.toFixed(2)),
  }),
);
await messages.close();
await pulling;
await jsm.streams.delete(inStream);
await nc.close();
db.close();
rmSync(dir, { recursive: true, force: true });
