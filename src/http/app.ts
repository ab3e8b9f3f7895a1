import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { Type } from 'typebox';
import type { Mailer } from '../app/collections/mailer.js';
import type { Services } from '../app/services.js';
import { registerAuth } from './auth.js';
import { registerErrorHandling } from './errors.js';
import { registerIdempotency } from './idempotency.js';
import { apiKeyRoutes } from './routes/api-keys.js';
import { collectionRoutes } from './routes/collections.js';
import { creditRoutes } from './routes/credit.js';
import { customerRoutes } from './routes/customers.js';
import { orderRoutes } from './routes/orders.js';
import { receivableRoutes } from './routes/receivables.js';
import { validatorCompiler } from './validation.js';

export interface BuildOptions {
  readonly services: Services;
  readonly logger?: FastifyServerOptions['logger'];
  /** Sends dunning e-mails; without one, they are written to the outbox only. */
  readonly mailer?: Mailer | null;
  /** The built dashboard; defaults to web/dist beside the package. */
  readonly webRoot?: string;
}

const BODY_LIMIT_BYTES = 1_048_576;
const defaultWebRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'web', 'dist');

/** Builds the app without listening, so tests drive it with inject() and the CLI with listen(). */
export async function build(options: BuildOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: BODY_LIMIT_BYTES,
    ajv: { customOptions: { removeAdditional: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Fulcrum API',
        version: '0.1.0',
        description:
          'Trade credit control. Amounts are integer minor units in fields ending `Minor`, with an ISO 4217 `currency`; business dates are YYYY-MM-DD. Errors: `{"error":{"code","message","field"}}`. Writes accept `Idempotency-Key`.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'API key' } } },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  registerErrorHandling(app);
  registerAuth(app, options.services);
  registerIdempotency(app, options.services);

  app.get(
    '/health',
    {
      schema: {
        tags: ['system'],
        summary: 'Liveness',
        response: { 200: Type.Object({ status: Type.Literal('ok') }) },
      },
    },
    async () => ({ status: 'ok' as const }),
  );
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  customerRoutes(app, options.services);
  receivableRoutes(app, options.services);
  orderRoutes(app, options.services);
  creditRoutes(app, options.services);
  apiKeyRoutes(app, options.services);
  collectionRoutes(app, options.services, options.mailer ?? null);

  const webRoot = options.webRoot ?? defaultWebRoot;
  if (existsSync(join(webRoot, 'index.html'))) {
    await app.register(fastifyStatic, { root: webRoot, prefix: '/', wildcard: false });
  } else {
    app.get('/', { schema: { hide: true } }, async (_request, reply) =>
      reply
        .type('text/plain')
        .send('Fulcrum API is running. The dashboard is not built: run `npm run build`. API docs: /docs'),
    );
  }
  return app;
}
