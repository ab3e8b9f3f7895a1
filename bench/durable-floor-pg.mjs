// The durable floor of bench/durable-floor-server.mjs written for PostgreSQL (issue 21, item 3):
// the least an order check can do and still meet the terms — authenticate the bearer,
// validate the body, decide against an in-memory exposure, write the orders, their hash-chained
// audit events and the exposure they add in one transaction committed to disk, then answer.
// One process, one connection: the orders waiting when a write ends go together in the next one
// (group commit), and each run is ONE statement — every table's rows as one JSON document, the
// inserts chained in a WITH — so a run costs one round trip and one commit (synchronous_commit
// on, PostgreSQL's default), whatever its size. Hand-written with no policy, reasons,
// idempotency, access table or i18n: a ceiling for POST /v1/orders on PostgreSQL, not a product.
// DATABASE_URL names the database (its search_path may name a scratch schema).
import pg from 'pg';
import { floorDecision, listenFloor, sha256 } from './floor-http.mjs';

const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
await client.connect();
await client.query(`
  create table if not exists floor_orders (id bigint primary key, external_id text not null unique,
    customer_id text not null, amount_minor bigint not null, currency text not null, status text not null,
    decision_json text not null, created_at text not null);
  create index if not exists floor_orders_customer on floor_orders (customer_id, status);
  create table if not exists floor_audit (seq bigint primary key, occurred_at text not null, actor text not null,
    action text not null, entity_id text not null, after_json text not null, prev_hash text not null, hash text not null);
  create table if not exists floor_exposure (customer_id text primary key, open_orders_minor bigint not null);
  truncate floor_orders, floor_audit, floor_exposure;`);

const WRITE_RUN = `
  with o as (
    insert into floor_orders select * from json_populate_recordset(null::floor_orders, $1::json)
  ), a as (
    insert into floor_audit select * from json_populate_recordset(null::floor_audit, $2::json)
  )
  insert into floor_exposure select * from json_populate_recordset(null::floor_exposure, $3::json)
  on conflict (customer_id) do update
    set open_orders_minor = floor_exposure.open_orders_minor + excluded.open_orders_minor`;

const exposure = new Map();
let prevHash = '0'.repeat(64);
let nextId = 1;

/** Decides one order and adds its rows to the run's; the exposure moves once the run commits. */
function decide(actor, body, now, rows) {
  const exposureMinor = (exposure.get(body.customerId) ?? 0) + (rows.pending.get(body.customerId) ?? 0);
  const { decision, status } = floorDecision(exposureMinor, body.amountMinor);
  const id = nextId++;
  const order = { id, ...body, status, decision, createdAt: now };
  const after = JSON.stringify(order);
  const hash = sha256(`${prevHash}|${now}|${actor}|order.checked|${id}|${after}`);
  rows.orders.push({
    id,
    external_id: body.externalId,
    customer_id: body.customerId,
    amount_minor: body.amountMinor,
    currency: body.currency,
    status,
    decision_json: JSON.stringify(decision),
    created_at: now,
  });
  rows.audit.push({
    seq: id,
    occurred_at: now,
    actor,
    action: 'order.checked',
    entity_id: String(id),
    after_json: after,
    prev_hash: prevHash,
    hash,
  });
  prevHash = hash;
  if (status === 'open')
    rows.pending.set(body.customerId, (rows.pending.get(body.customerId) ?? 0) + body.amountMinor);
  return order;
}

await listenFloor(Number(process.env.PORT ?? 3914), async (run) => {
  const now = new Date().toISOString();
  const rows = { orders: [], audit: [], pending: new Map() };
  const orders = run.map((w) => decide(w.actor, w.body, now, rows));
  const exposureRows = [...rows.pending].map(([customer_id, open_orders_minor]) => ({
    customer_id,
    open_orders_minor,
  }));
  await client.query(WRITE_RUN, [
    JSON.stringify(rows.orders),
    JSON.stringify(rows.audit),
    JSON.stringify(exposureRows),
  ]);
  for (const [customer, minor] of rows.pending) exposure.set(customer, (exposure.get(customer) ?? 0) + minor);
  return orders;
});
process.once('SIGTERM', async () => {
  await client.end();
  process.exit(0);
});
