// The HTTP side both durable floors share (bench/durable-floor-server.mjs on SQLite,
// bench/durable-floor-pg.mjs on PostgreSQL): the bearer checked against FULCRUM_BOOTSTRAP_KEY's
// hash, the body validated by JSON schema, and every order waiting for the floor's next write —
// the orders that arrive while one write runs go together in the next (group commit).
import { createHash } from 'node:crypto';
import Fastify from 'fastify';

export const sha256 = (text) => createHash('sha256').update(text).digest('hex');

const LIMIT_MINOR = 900_000_000_000;

/** The floors' whole policy: within one generous limit, approved and open; beyond it, held. */
export function floorDecision(exposureMinor, amountMinor) {
  const availableMinor = LIMIT_MINOR - exposureMinor;
  const outcome = amountMinor <= availableMinor ? 'approve' : 'hold';
  return {
    decision: {
      outcome,
      reasons: [{ code: outcome === 'approve' ? 'within_limit' : 'limit_exceeded', availableMinor }],
    },
    status: outcome === 'approve' ? 'open' : 'held',
  };
}

const ORDER = {
  type: 'object',
  additionalProperties: false,
  required: ['customerId', 'externalId', 'amountMinor', 'currency'],
  properties: {
    customerId: { type: 'string', minLength: 1, maxLength: 64 },
    externalId: { type: 'string', minLength: 1, maxLength: 100 },
    amountMinor: { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER },
    currency: { type: 'string', pattern: '^[A-Z]{3}$' },
  },
};

/**
 * Serves POST /v1/orders on `port`. `writeRun(run)` decides and durably writes the waiting orders
 * ({ actor, body } each, in arrival order) and returns their answers in the same order, or throws
 * (every order of the run is answered 500).
 */
export async function listenFloor(port, writeRun) {
  const keys = new Map([[sha256(process.env.FULCRUM_BOOTSTRAP_KEY ?? ''), 'api_key:bench']]);
  let waiting = [];
  let draining = false;
  const drain = async () => {
    while (waiting.length > 0) {
      const run = waiting;
      waiting = [];
      try {
        const orders = await writeRun(run);
        for (const [i, w] of run.entries()) w.reply.code(201).send(orders[i]);
      } catch (error) {
        console.error(error);
        for (const w of run) w.reply.code(500).send({ error: { code: 'internal' } });
      }
      // A turn of the event loop between runs, so the requests that arrived meanwhile are read.
      await new Promise((resolve) => setImmediate(resolve));
    }
    draining = false;
  };
  const app = Fastify();
  app.addHook('onRequest', (request, reply, done) => {
    if (request.url === '/health') return done();
    const actor = keys.get(sha256((request.headers.authorization ?? '').replace(/^Bearer\s+/i, '')));
    if (!actor) return reply.code(401).send({ error: { code: 'unauthorized' } });
    request.actor = actor;
    done();
  });
  app.post('/v1/orders', { schema: { body: ORDER } }, (request, reply) => {
    waiting.push({ actor: request.actor, body: request.body, reply });
    if (!draining) {
      draining = true;
      setImmediate(drain);
    }
    return reply;
  });
  app.get('/health', async () => ({ status: 'ok' }));
  await app.listen({ port, host: '127.0.0.1' });
  return app;
}
