import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { recentlyVerified, verify } from '../app/auth/authenticate.js';
import { salesOwnerOf } from '../app/auth/ownership.js';
import { actorName, type Principal } from '../app/auth/principal.js';
import type { Services } from '../app/services.js';
import { mayDo, OWN_CUSTOMERS_ONLY } from '../core/access/roles.js';
import { DomainError } from '../core/errors.js';
import { type OwnerRef, ROUTE_ACCESS } from './access-table.js';
import { errorBody } from './errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
}

const BEARER = /^Bearer\s+(\S+)$/i;

/** The audit log's name for whoever made the request. */
export function actorOf(request: FastifyRequest): string {
  return request.principal ? actorName(request.principal) : 'anonymous';
}

/** Who is approving, and in which role: what four eyes and the authority matrix judge. */
export function approverOf(request: FastifyRequest): { actor: string; role: string } {
  return { actor: actorOf(request), role: request.principal?.role ?? 'none' };
}

/** The bearer secret a request presents, if any. */
export function bearerOf(request: FastifyRequest): string | undefined {
  return BEARER.exec(request.headers.authorization ?? '')?.[1];
}

const routeKeys = new Map<string, string>();

/**
 * `GET /v1/customers/:id` → `GET /v1/customers/{id}`, the OpenAPI spelling the table uses; kept
 * per route (every request asks twice).
 */
function routeKey(method: string, url: string): string {
  const raw = `${method} ${url}`;
  let key = routeKeys.get(raw);
  if (key === undefined) {
    key = `${method} ${url.replace(/:(\w+)/g, '{$1}')}`;
    routeKeys.set(raw, key);
  }
  return key;
}

/**
 * Every path under /v1 needs a valid bearer secret — an API key or a login session — including
 * paths with no route, so that probing without one learns nothing; only login is open. Then each
 * route's permission (ROUTE_ACCESS) is checked against the principal's role and, for roles
 * confined to their own customers, the customer the request acts on. /health, /openapi.json,
 * /docs and the dashboard stay public.
 */
export function registerAuth(app: FastifyInstance, services: Services): void {
  app.decorateRequest('principal', null);

  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/v1/')) return;
    for (const method of [route.method].flat()) {
      if (method === 'HEAD') continue;
      const key = routeKey(method, route.url);
      if (!ROUTE_ACCESS[key]) throw new Error(`route ${key} is missing from ROUTE_ACCESS`);
    }
  });

  // Answers without calling the hook's `done`: the request goes no further.
  const unauthorized = (reply: FastifyReply): void => {
    reply.header('www-authenticate', 'Bearer');
    reply
      .status(401)
      .send(
        errorBody(
          'unauthorized',
          'a valid API key or session token is required: Authorization: Bearer <secret>',
          undefined,
          reply.request.headers['accept-language'],
        ),
      );
  };

  // Callback style: a secret verified in the last few seconds (nearly every request) is answered
  // without a promise; only a look-up in the store waits.
  app.addHook('onRequest', (request, reply, done) => {
    if (!request.url.startsWith('/v1/') && request.url !== '/v1') return done();
    const url = request.routeOptions.url;
    if (url && ROUTE_ACCESS[routeKey(request.method, url)] === 'public') return done();
    const secret = bearerOf(request);
    if (!secret) {
      unauthorized(reply);
      return;
    }
    const now = services.clock.now();
    const known = recentlyVerified(services.store.db, secret, now);
    if (known) {
      request.principal = known;
      return done();
    }
    verify(services.store.db, secret, now).then((principal) => {
      if (!principal) unauthorized(reply);
      else {
        request.principal = principal;
        done();
      }
    }, done);
  });

  app.addHook('preValidation', (request, _reply, done) => {
    const { principal } = request;
    const url = request.routeOptions.url;
    if (!principal || !url) return done();
    const access = ROUTE_ACCESS[routeKey(request.method, url)];
    if (!access || access === 'public' || access === 'any') return done();
    if (!mayDo(principal.role, access.permission))
      return done(
        new DomainError('forbidden', `role ${principal.role} may not do this (needs ${access.permission})`),
      );
    if (!OWN_CUSTOMERS_ONLY.has(principal.role)) return done();
    assertOwner(services, request, principal, access.owner).then(() => done(), done);
  });
}

const notOwner = (what: string) =>
  new DomainError('not_owner', `${what}: only the customer's sales owner may act on it in this role`);

async function assertOwner(
  services: Services,
  request: FastifyRequest,
  principal: Principal,
  owner: OwnerRef | undefined,
): Promise<void> {
  const mine = principal.salesOwner;
  if (owner && 'none' in owner) return;
  if (!owner || mine === null) throw notOwner('this covers customers that are not yours');
  if ('salesOwnerQuery' in owner) {
    const query = request.query as Record<string, unknown>;
    if (query.salesOwner !== undefined && query.salesOwner !== mine) throw notOwner('salesOwner');
    query.salesOwner = mine;
    return;
  }
  if ('param' in owner) {
    const id = (request.params as Record<string, string>)[owner.param];
    const found = id === undefined ? undefined : await salesOwnerOf(services.store.db, owner.object, id);
    if (found !== undefined && found !== mine) throw notOwner(owner.object);
    return;
  }
  const source = ('body' in owner ? request.body : request.query) as Record<string, unknown> | undefined;
  const field = 'body' in owner ? owner.body : owner.query;
  if (field === 'subjectId' && source?.subjectType !== 'customer') throw notOwner('subjectType: a group');
  const id = source?.[field];
  if (typeof id !== 'string') throw notOwner(`${field}: name one of your customers`);
  const found = await salesOwnerOf(services.store.db, 'customer', id);
  if (found !== undefined && found !== mine) throw notOwner(field);
}
