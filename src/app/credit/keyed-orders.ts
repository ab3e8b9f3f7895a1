import type { Executor } from '../../store/write.js';
import type { OrderOutcome, PendingOrder, PlacedOrder } from './decide-orders.js';

/** An order sent with an `Idempotency-Key`: its answer is recorded in the run that places it. */
export interface OrderKey {
  readonly apiKeyId: string;
  readonly key: string;
  readonly hash: string;
  /** The response body of the placed order, as the API sends it. */
  answer(placed: PlacedOrder): string;
}

/**
 * Indexes of a run's keyed orders whose key is already answered (committed by an earlier run or
 * another process), or repeated earlier in the same run: they are not decided again, and their
 * requests replay the recorded answer once the run has committed.
 */
export async function answeredKeys(trx: Executor, pending: readonly PendingOrder[]): Promise<Set<number>> {
  const keyed = pending.flatMap((p, index) => (p.key ? [{ index, key: p.key }] : []));
  const repeated = new Set<number>();
  if (keyed.length === 0) return repeated;
  // Both columns of the key's index: by the key alone, the lookup read every key ever recorded.
  const rows = await trx
    .selectFrom('idempotency_keys')
    .select(['api_key_id', 'idempotency_key'])
    .where('api_key_id', 'in', [...new Set(keyed.map((k) => k.key.apiKeyId))])
    .where(
      'idempotency_key',
      'in',
      keyed.map((k) => k.key.key),
    )
    .execute();
  const seen = new Set(rows.map((r) => `${r.api_key_id}\n${r.idempotency_key}`));
  for (const { index, key } of keyed) {
    const id = `${key.apiKeyId}\n${key.key}`;
    if (seen.has(id)) repeated.add(index);
    seen.add(id);
  }
  return repeated;
}

/**
 * Records the answer of every keyed order the run placed, in the run's transaction: the order and
 * its answer commit together or not at all. A key another process answered meanwhile makes the
 * insert fail, and with it the run, whose orders are then decided one by one.
 */
export async function recordAnswers(
  trx: Executor,
  pending: readonly PendingOrder[],
  outcomes: readonly (OrderOutcome | null | undefined)[],
  createdAt: string,
): Promise<Map<number, string>> {
  const answers = new Map<number, string>();
  const rows = [];
  for (const [index, p] of pending.entries()) {
    const outcome = outcomes[index];
    if (!p.key || !outcome || !('placed' in outcome)) continue;
    const answer = p.key.answer(outcome.placed);
    answers.set(index, answer);
    rows.push({
      api_key_id: p.key.apiKeyId,
      idempotency_key: p.key.key,
      request_hash: p.key.hash,
      status_code: 201,
      response_json: answer,
      created_at: createdAt,
    });
  }
  if (rows.length > 0) await trx.insertInto('idempotency_keys').values(rows).execute();
  return answers;
}
