import { type ChainVerdict, ChainVerifier } from '../../core/audit/chain.js';
import { sha256 } from '../../store/audit.js';
import type { Executor } from '../../store/write.js';
import type { Progress } from '../services.js';

const CHUNK = 5_000;

/** Business records whose creation the chain must hold: table, and the entity type its events name. */
const RECORDED = [
  ['customers', 'customer'],
  ['orders', 'order'],
  ['invoices', 'invoice'],
  ['payments', 'payment'],
] as const;

/**
 * A chain can be intact as a chain and still be short: entries cut from its end together with
 * the head row, or the whole chain emptied. Every customer, order, invoice and payment is written
 * with its creation event in one transaction, so a record that no event names means entries are
 * missing. Returns the first such record.
 */
async function unrecorded(executor: Executor): Promise<ChainVerdict | null> {
  for (const [table, entityType] of RECORDED) {
    const orphan = await executor
      .selectFrom(table)
      .select('id')
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('audit_events')
              .select('seq')
              .where('entity_type', '=', entityType)
              .whereRef('entity_id', '=', `${table}.id`),
          ),
        ),
      )
      .limit(1)
      .executeTakeFirst();
    if (orphan)
      return {
        ok: false,
        seq: 0,
        problem: 'deleted',
        detail: `${entityType} ${orphan.id} exists but no audit entry records it: entries were removed from the chain`,
      };
  }
  return null;
}

/**
 * Recomputes the whole audit chain from the database, in sequence order, a chunk at a time, and
 * checks that it accounts for every business record.
 */
export async function verifyAuditChain(executor: Executor, onProgress?: Progress): Promise<ChainVerdict> {
  const head = await executor
    .selectFrom('audit_head')
    .select(['seq', 'hash'])
    .where('id', '=', 1)
    .executeTakeFirst();
  const verifier = new ChainVerifier(sha256, head ? { seq: Number(head.seq), hash: head.hash } : null);
  const total = Number(
    (
      await executor
        .selectFrom('audit_events')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
  let done = 0;
  for (let after = Number.MIN_SAFE_INTEGER; ; ) {
    const rows = await executor
      .selectFrom('audit_events')
      .selectAll()
      .where('seq', '>', after)
      .orderBy('seq')
      .limit(CHUNK)
      .execute();
    if (rows.length === 0) break;
    for (const row of rows) {
      verifier.next({
        seq: Number(row.seq),
        occurredAt: row.occurred_at,
        actor: row.actor,
        action: row.action,
        entityType: row.entity_type,
        entityId: row.entity_id,
        beforeJson: row.before_json,
        afterJson: row.after_json,
        prevHash: row.prev_hash,
        hash: row.hash,
      });
    }
    done += rows.length;
    onProgress?.(done, total);
    after = Number(rows.at(-1)?.seq);
  }
  const verdict = verifier.finish();
  return verdict.ok ? ((await unrecorded(executor)) ?? verdict) : verdict;
}
