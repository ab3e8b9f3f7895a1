import { type Insertable, type Selectable, sql } from 'kysely';
import { type AuditEntry, type AuditHead, chainedRows } from '../../store/audit.js';
import type { IdempotencyKeyTable, OrderTable } from '../../store/schema.js';
import { type Executor, jsonInsert } from '../../store/write.js';
import { ADD_TO_BALANCE, type ExposureDelta, exposureRows } from '../exposure/adjust-exposure.js';

/** Orders placed by one requester, with the audit event of each. */
export interface AuditedOrders {
  readonly actor: string;
  readonly orders: readonly Selectable<OrderTable>[];
  readonly entries: readonly AuditEntry[];
}

/**
 * PostgreSQL: what a run of orders writes, in two statements instead of six — a run waits for
 * each round trip in turn, its customers locked meanwhile. First the orders, with the audit
 * chain's head locked and read (the lock every writer takes after its credit subjects' and before
 * any balance); then the audit events chained from that head, the exposure the run takes, its keyed
 * orders' answers and the chain's new head. Each statement's parts commit or fail together, as the
 * run does.
 */
export async function writeOrderRunPostgres(
  trx: Executor,
  run: {
    readonly batches: readonly AuditedOrders[];
    readonly occurredAt: string;
    readonly deltas: readonly ExposureDelta[];
    /** The answers of its keyed orders, recorded with them. */
    readonly answers: readonly Insertable<IdempotencyKeyTable>[];
  },
): Promise<void> {
  const { batches, occurredAt, deltas, answers } = run;
  const orders = batches.flatMap((b) => b.orders);
  if (orders.length === 0) return;
  const { rows } = await sql<AuditHead>`
    with written as (${jsonInsert('orders', orders)})
    update audit_head set seq = seq where id = 1 returning seq, hash`.execute(trx);
  let head = rows[0];
  if (!head) throw new Error('the audit chain has no head row');
  const events = [];
  for (const batch of batches) {
    const chained = chainedRows(head, batch.actor, occurredAt, batch.entries);
    events.push(...chained.rows);
    head = chained.head;
  }
  const balances = exposureRows(deltas);
  const addBalances =
    balances.length > 0
      ? sql`, balances as (${jsonInsert('exposure_balances', balances)} ${ADD_TO_BALANCE})`
      : sql``;
  const addAnswers =
    answers.length > 0 ? sql`, answers as (${jsonInsert('idempotency_keys', answers)})` : sql``;
  await sql`
    with events as (${jsonInsert('audit_events', events)})${addBalances}${addAnswers}
    update audit_head set seq = ${head.seq}, hash = ${head.hash} where id = 1`.execute(trx);
}
