import { type ChainVerdict, ChainVerifier } from '../../core/audit/chain.js';
import { sha256 } from '../../store/audit.js';
import type { Executor } from '../../store/write.js';
import type { Progress } from '../services.js';

const CHUNK = 5_000;

/** Recomputes the whole audit chain from the database, in sequence order, a chunk at a time. */
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
  return verifier.finish();
}
