import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Tracer } from '@opentelemetry/api';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { Type } from 'typebox';
import { actorName } from '../app/auth/principal.js';
import type { Mailer } from '../app/collections/mailer.js';
import type { Services } from '../app/services.js';
import { DomainError } from '../core/errors.js';
import { registerAuth } from './auth.js';
import { registerErrorHandling } from './errors.js';
import { clientErrorHandler, frameworkErrors, MAX_PARAM_LENGTH } from './framework-errors.js';
import { registerIdempotency } from './idempotency.js';
import { registerListExport } from './list-export.js';
import { NAMED_SCHEMAS } from './named-schemas.js';
import { finishOpenApiDocument } from './openapi-document.js';
import { registerOperationIds } from './operation-ids.js';
import { registerOperations } from './operations.js';
import { accessRoutes } from './routes/access.js';
import { alertRoutes } from './routes/alerts.js';
import { auditRoutes } from './routes/audit.js';
import { blockRoutes } from './routes/blocks.js';
import { collateralRoutes } from './routes/collateral.js';
import { collectionRoutes } from './routes/collections.js';
import { creditRoutes } from './routes/credit.js';
import { customerNoteRoutes } from './routes/customer-notes.js';
import { customerRoutes } from './routes/customers.js';
import { cycleRoutes } from './routes/cycle.js';
import { dataProviderRoutes } from './routes/data-providers.js';
import { externalDataRoutes } from './routes/external-data.js';
import { financialRoutes } from './routes/financials.js';
import { forecastRoutes } from './routes/forecast.js';
import { governanceRoutes } from './routes/governance.js';
import { importRoutes, MAX_IMPORT_BYTES } from './routes/imports.js';
import { insuranceRoutes } from './routes/insurance.js';
import { notificationRoutes } from './routes/notifications.js';
import { onboardingRoutes } from './routes/onboarding.js';
import { orderRoutes } from './routes/orders.js';
import { paymentPlanRoutes } from './routes/payment-plans.js';
import { policyReviewRoutes } from './routes/policy-reviews.js';
import { portfolioRoutes } from './routes/portfolio.js';
import { provisionRoutes } from './routes/provisions.js';
import { ratingRoutes } from './routes/ratings.js';
import { receivableRoutes } from './routes/receivables.js';
import { reviewRoutes } from './routes/reviews.js';
import { scoringRoutes } from './routes/scoring.js';
import { simulationRoutes } from './routes/simulations.js';
import { viewRoutes } from './routes/views.js';
import { watchlistRoutes } from './routes/watchlist.js';
import { webhookRoutes } from './routes/webhooks.js';
import { registerSecurityHeaders } from './security-headers.js';
import { registerTextGuard } from './text-guard.js';
import { registerTracing } from './tracing-hooks.js';
import { lazySerializers, validatorCompiler } from './validation.js';

export interface BuildOptions {
  readonly services: Services;
  readonly logger?: FastifyServerOptions['logger'];
  /** Sends dunning e-mails; without one, they are written to the outbox only. */
  readonly mailer?: Mailer | null;
  /** The built dashboard; defaults to web/dist beside the package. */
  readonly webRoot?: string;
  /** Writes one principal may make per minute; 0 or absent: no limit. */
  readonly writesPerMinute?: number;
  /** /metrics without a key (FULCRUM_METRICS_PUBLIC=1): for a scraper inside a private network. */
  readonly metricsPublic?: boolean;
  /** Spans for every request (FULCRUM_OTEL_ENDPOINT); none without. */
  readonly tracer?: Tracer;
}

const BODY_LIMIT_BYTES = 1_048_576;
const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** Password guessing: a few tries a minute per address, on top of the per-account lock-out. */
const LOGIN_RATE_LIMIT = {
  max: 10,
  timeWindow: '1 minute',
  hook: 'onRequest',
  keyGenerator: (r: { ip: string }) => r.ip,
};
const defaultWebRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'web', 'dist');

/** Builds the app without listening, so tests drive it with inject() and the CLI with listen(). */
export async function build(options: BuildOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: BODY_LIMIT_BYTES,
    ajv: { customOptions: { removeAdditional: false } },
    schemaController: { compilersFactory: { buildSerializer: lazySerializers } },
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    frameworkErrors: frameworkErrors(options.services),
    clientErrorHandler,
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
        license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
      },
      servers: [{ url: '/', description: 'this server' }],
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'API key' } } },
    },
    transformObject: (document) =>
      finishOpenApiDocument(
        (document as { openapiObject: Record<string, unknown> }).openapiObject,
        NAMED_SCHEMAS,
      ),
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  await app.register(multipart, { limits: { fileSize: MAX_IMPORT_BYTES, files: 1, fields: 10 } });

  registerErrorHandling(app);
  registerOperationIds(app);
  registerTextGuard(app);
  registerListExport(app);
  registerSecurityHeaders(app, {
    // The dashboard and the API docs load only their own scripts; ECharts and Swagger UI set
    // inline styles.
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
      },
    },
  });
  const writesPerMinute = options.writesPerMinute ?? 0;
  await app.register(rateLimit, {
    global: writesPerMinute > 0,
    hook: 'preHandler',
    max: writesPerMinute,
    timeWindow: '1 minute',
    allowList: (request) => !WRITE_METHODS.has(request.method),
    keyGenerator: (request) => (request.principal ? actorName(request.principal) : request.ip),
    errorResponseBuilder: (_request, context) =>
      new DomainError(
        'rate_limited',
        `too many requests: at most ${context.max} a minute; try again in ${context.after}`,
      ),
  });
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
  registerOperations(app, options.services, options.metricsPublic ?? false);
  if (options.tracer) registerTracing(app, options.tracer);

  customerRoutes(app, options.services);
  customerNoteRoutes(app, options.services);
  receivableRoutes(app, options.services);
  orderRoutes(app, options.services);
  creditRoutes(app, options.services);
  accessRoutes(app, options.services, LOGIN_RATE_LIMIT);
  governanceRoutes(app, options.services);
  blockRoutes(app, options.services);
  ratingRoutes(app, options.services);
  portfolioRoutes(app, options.services);
  auditRoutes(app, options.services);
  scoringRoutes(app, options.services);
  paymentPlanRoutes(app, options.services);
  provisionRoutes(app, options.services);
  insuranceRoutes(app, options.services);
  collateralRoutes(app, options.services);
  cycleRoutes(app, options.services);
  alertRoutes(app, options.services);
  reviewRoutes(app, options.services);
  policyReviewRoutes(app, options.services);
  webhookRoutes(app, options.services);
  onboardingRoutes(app, options.services);
  forecastRoutes(app, options.services);
  externalDataRoutes(app, options.services);
  simulationRoutes(app, options.services);
  importRoutes(app, options.services);
  dataProviderRoutes(app, options.services);
  financialRoutes(app, options.services);
  watchlistRoutes(app, options.services);
  notificationRoutes(app, options.services);
  viewRoutes(app, options.services);
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
