import type { FastifyInstance, FastifyRequest } from 'fastify';
import { type ApiKeyPrincipal, authenticate } from '../app/auth/api-keys.js';
import type { Services } from '../app/services.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal: ApiKeyPrincipal | null;
  }
}

const BEARER = /^Bearer\s+(\S+)$/i;

/** The audit log's name for whoever made the request. */
export function actorOf(request: FastifyRequest): string {
  return request.principal ? `api_key:${request.principal.keyId}` : 'anonymous';
}

/** Who is approving, and in which role: what four eyes and the authority matrix judge. */
export function approverOf(request: FastifyRequest): { actor: string; role: string } {
  return { actor: actorOf(request), role: request.principal?.role ?? 'none' };
}

/**
 * Every path under /v1 needs a valid bearer key — including paths with no route, so that probing
 * without a key learns nothing. /health, /openapi.json, /docs and the dashboard stay public.
 */
export function registerAuth(app: FastifyInstance, services: Services): void {
  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (request, reply) => {
    if (!request.url.startsWith('/v1/') && request.url !== '/v1') return;
    const match = BEARER.exec(request.headers.authorization ?? '');
    const principal = match?.[1] ? await authenticate(services.store.db, match[1]) : null;
    if (!principal) {
      reply.header('www-authenticate', 'Bearer');
      return reply.status(401).send({
        error: { code: 'unauthorized', message: 'a valid API key is required: Authorization: Bearer <key>' },
      });
    }
    request.principal = principal;
  });
}
