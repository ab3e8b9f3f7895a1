import type { FastifyInstance } from 'fastify';

const capital = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);
const camel = (segment: string) => segment.split(/[-_.]/).filter(Boolean).map(capital).join('');

/**
 * `GET /v1/customers/:id/exposure` → `getCustomersByIdExposure`: one stable operation id per route,
 * from its method and path, so generated clients name their functions.
 */
export function operationIdOf(method: string, url: string): string {
  const parts = url
    .split('/')
    .filter((s) => s && s !== 'v1')
    .map((s) => (s.startsWith(':') ? `By${capital(s.slice(1))}` : camel(s)));
  return `${method.toLowerCase()}${parts.join('') || 'Root'}`;
}

/** Every documented route gets an operationId in the OpenAPI document, unless it names its own. */
export function registerOperationIds(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    const method = [route.method].flat()[0] ?? 'get';
    if (!route.schema || route.schema.hide || method === 'HEAD') return;
    const schema = route.schema as { operationId?: string };
    schema.operationId ??= operationIdOf(method, route.url);
  });
}
