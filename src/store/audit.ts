import { hash } from 'node:crypto';
import { type ChainEntry, entryText, GENESIS_HASH, type Hasher } from '../core/audit/chain.js';
import type { Executor } from './write.js';
import { insertChunked } from './write.js';

/** One change to a record: who, what, when, and the record before and after. */
export interface AuditEntry {
  readonly action: string;
  readonly entityType: string;
  readonly entityId: string;
  readonly before: unknown;
  readonly after: unknown;
}

// One call, not createHash().update().digest(): half the time, and one hash per order written.
export const sha256: Hasher = (text) => hash('sha256', text, 'hex');

const json = (value: unknown) => (value === null || value === undefined ? null : JSON.stringify(value));

/** Transactions holding the head's row lock already: taking it again would be one more round trip. */
const headHolders = new WeakSet<Executor>();

const touchHead = (executor: Executor) =>
  executor
    .updateTable('audit_head')
    .set((eb) => ({ seq: eb.ref('seq') }))
    .where('id', '=', 1);

/**
 * Takes the audit chain's head row lock. Every write transaction takes it before it touches
 * exposure balances (adjustExposure) or appends audit events, so all writers lock in one order —
 * credit subject rows, then the head, then balances — and two of them can never deadlock.
 */
export async function lockAuditHead(executor: Executor): Promise<void> {
  if (headHolders.has(executor)) return;
  await touchHead(executor).execute();
  if (executor.isTransaction) headHolders.add(executor);
}

/** The chain's head (last sequence number and hash), locked for the rest of the transaction. */
async function lockedHead(executor: Executor): Promise<AuditHead> {
  const head = await touchHead(executor).returning(['seq', 'hash']).executeTakeFirstOrThrow();
  if (executor.isTransaction) headHolders.add(executor);
  return head;
}

/** The chain's head: the last event's sequence number and hash. */
export interface AuditHead {
  readonly seq: number;
  readonly hash: string;
}

/** Audit rows for `entries`, each linked to the one before it from `head` on, and the new head. */
export function chainedRows(
  head: AuditHead,
  actor: string,
  occurredAt: string,
  entries: readonly AuditEntry[],
) {
  let seq = head.seq;
  let prevHash = head.hash;
  const rows = entries.map((e) => {
    seq += 1;
    const entry: Omit<ChainEntry, 'hash'> = {
      seq,
      occurredAt,
      actor,
      action: e.action,
      entityType: e.entityType,
      entityId: e.entityId,
      beforeJson: json(e.before),
      afterJson: json(e.after),
      prevHash,
    };
    prevHash = sha256(entryText(entry));
    return {
      seq,
      occurred_at: occurredAt,
      actor,
      action: e.action,
      entity_type: e.entityType,
      entity_id: e.entityId,
      before_json: entry.beforeJson,
      after_json: entry.afterJson,
      prev_hash: entry.prevHash,
      hash: prevHash,
    };
  });
  return { rows, head: { seq, hash: prevHash } };
}

/**
 * Appends in the caller's transaction, so a change and its audit event commit or fail together,
 * and links each event into the hash chain. The chain's head row is updated first: on PostgreSQL
 * that row lock orders concurrent writers, so sequence numbers and links are assigned in commit
 * order; SQLite has one writer anyway.
 */
export async function appendAudit(
  executor: Executor,
  actor: string,
  occurredAt: string,
  entries: readonly AuditEntry[],
): Promise<void> {
  if (entries.length === 0) return;
  const { rows, head } = chainedRows(await lockedHead(executor), actor, occurredAt, entries);
  await insertChunked(executor, 'audit_events', rows);
  await executor.updateTable('audit_head').set(head).where('id', '=', 1).execute();
}

export { GENESIS_HASH };
