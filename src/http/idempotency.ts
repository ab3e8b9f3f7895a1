import { hash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteHandlerMethod } from 'fastify';
import { CompiledQuery } from 'kysely';
import { actorName } from '../app/auth/principal.js';
import type { Services } from '../app/services.js';
import { canonicalJson } from '../core/canonical-json.js';
import type { RequestTransaction } from '../store/request-transaction.js';
import type { Executor } from '../store/write.js';
import { errorBody } from './errors.js';

/** A keyed write in progress: its key, and how its answer is recorded. */
export interface KeyClaim {
  readonly apiKeyId: string;
  readonly key: string;
  readonly hash: string;
  /** The transaction holding everything the handler writes, with the key's answer; null outside. */
  readonly transaction: RequestTransaction | null;
  /** Set by a handler that recorded the answer itself, in its own write's transaction. */
  recorded: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    idempotency: KeyClaim | null;
  }
  interface FastifyContextConfig {
    /**
     * `outside`: the handler's writes cannot run inside the request's transaction; its answer is
     * recorded after (what-ifs). `handler`: the handler looks the key up itself, where it writes,
     * and records its answer there (the order desk, which commits runs of orders and their keys'
     * answers together): nothing is read before it.
     */
    idempotency?: 'outside' | 'handler';
  }
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const MAX_KEY_LENGTH = 200;

function requestHash(request: FastifyRequest): string {
  return hash('sha256', `${request.method} ${request.url}\n${canonicalJson(request.body ?? null)}`, 'hex');
}

function errorReply(reply: FastifyReply, code: string, message: string) {
  return errorBody(code, message, 'Idempotency-Key', reply.request.headers['accept-language']);
}

interface StoredAnswer {
  readonly request_hash: string;
  readonly status_code: number | null;
  readonly response_json: string | null;
}

/** The lookup's SQL per store (its dialect's placeholders), built once: every keyed order asks it. */
const answerSql = new WeakMap<object, string>();

function findAnswer(executor: Executor, apiKeyId: string, key: string): Promise<StoredAnswer | undefined> {
  let text = answerSql.get(executor);
  if (text === undefined) {
    text = executor
      .selectFrom('idempotency_keys')
      .select(['request_hash', 'status_code', 'response_json'])
      .where('api_key_id', '=', apiKeyId)
      .where('idempotency_key', '=', key)
      .compile().sql;
    answerSql.set(executor, text);
  }
  return executor
    .executeQuery<StoredAnswer>(CompiledQuery.raw(text, [apiKeyId, key]))
    .then((result) => result.rows[0]);
}

/** The committed answer of a claimed key, if it has one. */
export function priorAnswer(executor: Executor, claim: KeyClaim): Promise<StoredAnswer | undefined> {
  return findAnswer(executor, claim.apiKeyId, claim.key);
}

/** The committed answer of a claimed key. */
export async function storedAnswer(executor: Executor, claim: KeyClaim): Promise<StoredAnswer> {
  const answer = await priorAnswer(executor, claim);
  if (!answer) throw new Error(`no answer recorded for Idempotency-Key ${claim.key}`);
  return answer;
}

/** The first answer to a key again, or 422 when the key came with another request. */
export function sendStoredAnswer(reply: FastifyReply, prior: StoredAnswer, hash: string): FastifyReply {
  if (prior.request_hash !== hash) {
    return reply
      .status(422)
      .send(
        errorReply(reply, 'idempotency_key_reused', 'this Idempotency-Key was used with a different request'),
      );
  }
  reply.header('idempotent-replayed', 'true');
  return sendAnswer(reply, prior.status_code ?? 200, prior.response_json ?? 'null');
}

/** A JSON answer sent byte for byte as recorded, so a replay equals the first response. */
export function sendAnswer(reply: FastifyReply, statusCode: number, json: string): FastifyReply {
  return reply
    .status(statusCode)
    .header('content-type', 'application/json; charset=utf-8')
    .serializer((p: unknown) => p as string)
    .send(json);
}

/**
 * `Idempotency-Key` on writes (CONTRACT.md): the same key and body replay the first response and
 * change nothing; the same key with another body is a 422. Keys are scoped to the principal.
 *
 * Exactly once, crash or not: a keyed write runs inside one transaction that holds its key from the
 * start (a second request with the key waits for it) and commits the key's answer together with
 * everything the handler wrote, just before the response leaves. A process killed at any moment
 * leaves either the write and its answer, or neither — never a claim without an outcome. A 5xx
 * rolls everything back, so the client may retry. Routes marked `idempotency: 'outside'` record
 * their answer themselves in their write's transaction (orders), or after answering (what-ifs,
 * which change nothing).
 */
export function registerIdempotency(app: FastifyInstance, services: Services): void {
  const { store } = services;
  const { db } = store;
  app.decorateRequest('idempotency', null);

  // Everything a keyed handler does runs inside its request's transaction.
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (!methods.some((m) => WRITE_METHODS.has(m))) return;
    const handler = route.handler as RouteHandlerMethod;
    route.handler = function keyed(request, reply) {
      const transaction = request.idempotency?.transaction;
      return transaction
        ? transaction.run(() => handler.call(this, request, reply))
        : handler.call(this, request, reply);
    };
  });

  // A request without a key (most) passes straight through, no promise made.
  app.addHook('preHandler', (request, reply, done) => {
    const key = request.headers['idempotency-key'];
    if (typeof key !== 'string' || !WRITE_METHODS.has(request.method) || !request.principal) return done();
    if (key.length === 0 || key.length > MAX_KEY_LENGTH) {
      reply
        .status(400)
        .send(errorReply(reply, 'invalid_request', `Idempotency-Key must be 1–${MAX_KEY_LENGTH} characters`));
      return;
    }
    if (request.routeOptions.config.idempotency === 'handler') {
      request.idempotency = claimOf(request, key, null);
      return done();
    }
    claimKey(request, reply, key).then(() => done(), done);
  });

  function claimOf(request: FastifyRequest, key: string, transaction: RequestTransaction | null): KeyClaim {
    // One namespace per principal: another key or user never sees these keys.
    const apiKeyId = actorName(request.principal as NonNullable<typeof request.principal>);
    return { apiKeyId, key, hash: requestHash(request), transaction, recorded: false };
  }

  async function claimKey(request: FastifyRequest, reply: FastifyReply, key: string) {
    const claim = claimOf(request, key, null);
    const { apiKeyId, hash } = claim;
    if (request.routeOptions.config.idempotency === 'outside') {
      const prior = await findAnswer(db, apiKeyId, key);
      if (prior) return sendStoredAnswer(reply, prior, hash);
      request.idempotency = claim;
      return;
    }
    const transaction = await store.begin();
    try {
      const claimed = await transaction.run(() =>
        db
          .insertInto('idempotency_keys')
          .values({
            api_key_id: apiKeyId,
            idempotency_key: key,
            request_hash: hash,
            status_code: null,
            response_json: null,
            created_at: services.clock.now().toISOString(),
          })
          .onConflict((oc) => oc.columns(['api_key_id', 'idempotency_key']).doNothing())
          .executeTakeFirst(),
      );
      if (Number(claimed.numInsertedOrUpdatedRows ?? 0) === 1) {
        request.idempotency = { ...claim, transaction };
        return;
      }
      // The key's first request committed (on PostgreSQL the insert waited for it to end).
      const prior = await transaction.run(() => findAnswer(db, apiKeyId, key));
      await transaction.rollback();
      if (prior) return sendStoredAnswer(reply, prior, hash);
      throw new Error('an idempotency key conflicted with no committed row');
    } catch (error) {
      await transaction.rollback();
      throw error;
    }
  }

  app.addHook('onSend', (request, reply, payload, done) => {
    const claim = request.idempotency;
    if (!claim) {
      done(null, payload);
      return;
    }
    request.idempotency = null;
    settle(claim, reply.statusCode, payload).then(
      () => done(null, payload),
      (error: Error) => done(error),
    );
  });

  // A handler that failed without answering (it threw past the error handler) leaves nothing held.
  app.addHook('onResponse', (request, _reply, done) => {
    const transaction = request.idempotency?.transaction;
    request.idempotency = null;
    if (!transaction) return done();
    transaction.rollback().then(() => done(), done);
  });

  async function settle(claim: KeyClaim, statusCode: number, payload: unknown) {
    const answer = typeof payload === 'string' ? payload : null;
    const { transaction } = claim;
    if (transaction) {
      // A server failure changed nothing for sure: undo it all, so the client may retry.
      if (statusCode >= 500 || answer === null) return transaction.rollback();
      try {
        await transaction.run(() =>
          db
            .updateTable('idempotency_keys')
            .set({ status_code: statusCode, response_json: answer })
            .where('api_key_id', '=', claim.apiKeyId)
            .where('idempotency_key', '=', claim.key)
            .execute(),
        );
        await transaction.commit();
      } catch (error) {
        await transaction.rollback();
        throw error;
      }
      return;
    }
    // Outside: an answer the handler did not record changed nothing, so recording it may fail.
    if (claim.recorded || statusCode >= 500 || answer === null) return;
    await db
      .insertInto('idempotency_keys')
      .values({
        api_key_id: claim.apiKeyId,
        idempotency_key: claim.key,
        request_hash: claim.hash,
        status_code: statusCode,
        response_json: answer,
        created_at: services.clock.now().toISOString(),
      })
      .onConflict((oc) => oc.columns(['api_key_id', 'idempotency_key']).doNothing())
      .execute();
  }
}
