// A second reference for the HTTP benchmark: the least an order check can do and still meet the
// issue's terms — authenticate the bearer, validate the JSON body, decide against an in-memory
// exposure, write the order and a hash-chained audit event and move the exposure in one
// transaction synced to disk (WAL, synchronous = FULL, group commit), then answer. Hand-written
// on better-sqlite3 with no policy, reasons, idempotency, access table or i18n: a ceiling for
// POST /v1/orders on this machine, not a product.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { floorDecision, listenFloor, sha256 } from './floor-http.mjs';

const dir = mkdtempSync(join(tmpdir(), 'fulcrum-floor-'));
const db = new Database(join(dir, 'floor.db'));
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.pragma('temp_store = MEMORY');
db.exec(`
  create table orders (id integer primary key, external_id text not null unique, customer_id text not null,
    amount_minor integer not null, currency text not null, status text not null, decision_json text not null,
    created_at text not null);
  create index orders_customer on orders (customer_id, status);
  create table audit_events (seq integer primary key, occurred_at text not null, actor text not null,
    action text not null, entity_id text not null, after_json text not null, prev_hash text not null,
    hash text not null);
  create table exposure (customer_id text primary key, open_orders_minor integer not null);`);
const insertOrder = db.prepare(
  'insert into orders (external_id, customer_id, amount_minor, currency, status, decision_json, created_at) values (?, ?, ?, ?, ?, ?, ?)',
);
const insertAudit = db.prepare(
  'insert into audit_events (occurred_at, actor, action, entity_id, after_json, prev_hash, hash) values (?, ?, ?, ?, ?, ?, ?)',
);
const addExposure = db.prepare(
  'insert into exposure values (?, ?) on conflict (customer_id) do update set open_orders_minor = open_orders_minor + excluded.open_orders_minor',
);
const [begin, commit] = [db.prepare('begin immediate'), db.prepare('commit')];

const exposure = new Map();
let prevHash = '0'.repeat(64);

function write(actor, body, now) {
  const exposureMinor = exposure.get(body.customerId) ?? 0;
  const { decision, status } = floorDecision(exposureMinor, body.amountMinor);
  const decisionJson = JSON.stringify(decision);
  const { lastInsertRowid } = insertOrder.run(
    body.externalId,
    body.customerId,
    body.amountMinor,
    body.currency,
    status,
    decisionJson,
    now,
  );
  const order = { id: Number(lastInsertRowid), ...body, status, decision, createdAt: now };
  const after = JSON.stringify(order);
  const hash = sha256(`${prevHash}|${now}|${actor}|order.checked|${order.id}|${after}`);
  insertAudit.run(now, actor, 'order.checked', String(order.id), after, prevHash, hash);
  prevHash = hash;
  if (status === 'open') {
    addExposure.run(body.customerId, body.amountMinor);
    exposure.set(body.customerId, exposureMinor + body.amountMinor);
  }
  return order;
}

await listenFloor(Number(process.env.PORT ?? 3912), (run) => {
  const now = new Date().toISOString();
  begin.run();
  const orders = run.map((w) => write(w.actor, w.body, now));
  commit.run();
  return orders;
});
process.once('SIGTERM', () => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
  process.exit(0);
});
