import type { Executor } from '../../store/write.js';
import type { PendingOrder, PlacedOrder } from './decide-orders.js';

/** An order sent with an `Idempotency-Key`: its answer is recorded in the run that places it. */
export interface OrderKey {
  readonly apiKeyId: string;
  readonly key: string;
  readonly hash: string;
  /** The response body of the placed order, as the API sends it. */
  answer(placed: PlacedOrder): string;
}

/** A key as recorded: whose, and the key. */
export interface RecordedKey {
  readonly api_key_id: string;
  readonly idempotency_key: string;
}

/** Which of `keys` have an answer recorded (committed by an earlier run or another process). */
export async function recordedKeys(trx: Executor, keys: readonly OrderKey[]): Promise<RecordedKey[]> {
  if (keys.length === 0) return [];
  // Both columns of the key's index: by the key alone, the lookup read every key ever recorded.
  return trx
    .selectFrom('idempotency_keys')
    .select(['api_key_id', 'idempotency_key'])
    .where('api_key_id', 'in', [...new Set(keys.map((k) => k.apiKeyId))])
    .where(
      'idempotency_key',
      'in',
      keys.map((k) => k.key),
    )
    .execute();
}

/**
 * Indexes of a run's keyed orders whose key is answered (`recorded`), or repeated earlier in the
 * same run: they are not decided again, and their requests replay the recorded answer once the
 * run has committed.
 */
export function replayedOrders(
  pending: readonly PendingOrder[],
  recorded: readonly RecordedKey[],
): Set<number> {
  const seen = new Set(recorded.map((r) => `${r.api_key_id}\n${r.idempotency_key}`));
  const repeated = new Set<number>();
  for (const [index, { key }] of pending.entries()) {
    if (!key) continue;
    const id = `${key.apiKeyId}\n${key.key}`;
    if (seen.has(id)) repeated.add(index);
    seen.add(id);
  }
  return repeated;
}

/** The keys of a run's orders (those sent with one). */
export const keysOf = (pending: readonly PendingOrder[]) => pending.flatMap((p) => (p.key ? [p.key] : []));

/**
 * The recorded answer of a keyed order a run placed: written in the run's transaction, so the order
 * and its answer commit together or not at all. A key another process answered meanwhile makes the
 * insert fail, and with it the run, whose orders are then decided one by one.
 */
export function answerRow(key: OrderKey, answer: string, createdAt: string) {
  return {
    api_key_id: key.apiKeyId,
    idempotency_key: key.key,
    request_hash: key.hash,
    status_code: 201,
    response_json: answer,
    created_at: createdAt,
  };
}
