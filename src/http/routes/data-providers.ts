import { Type } from 'typebox';
import { fetchFromProvider, refreshFromProvider } from '../../app/external-data/fetch-provider.js';
import { customerFetches, listProviders, saveProvider } from '../../app/external-data/providers.js';
import type { Services } from '../../app/services.js';
import { actorOf } from '../auth.js';
import { errorResponses, Id, IdParams, Nullable, Timestamp } from '../schemas.js';
import { type Api, security } from './types.js';

const tags = ['external data'];
const NameParams = Type.Object({ name: Type.String({ minLength: 1, maxLength: 50 }) });
const Outcome = Type.Object({
  provider: Type.String(),
  customerId: Id,
  status: Type.Enum(['ok', 'failed', 'circuit_open']),
  pages: Type.Integer(),
  records: Type.Integer(),
  signalsNew: Type.Integer(),
  skipped: Type.Integer({ description: 'records that did not map (an unmapped type, a missing date…)' }),
  error: Nullable(Type.Object({ code: Type.String(), message: Type.String() })),
});
const closed = { additionalProperties: false } as const;
const Path = Type.String({
  maxLength: 200,
  description: 'a dotted path into the record (`case.amount`, `parties[0].name`)',
});
const ValueMap = (to: string) =>
  Type.Object(
    {
      field: Path,
      values: Type.Record(Type.String(), Type.String(), { description: `the provider's values → ${to}` }),
    },
    closed,
  );
const ProviderDocument = {
  baseUrl: Type.String({ minLength: 1, maxLength: 500 }),
  path: Type.String({ minLength: 1, maxLength: 500, description: 'names {registrationId} or {externalId}' }),
  auth: Type.Optional(
    Nullable(
      Type.Object(
        {
          header: Type.String({ minLength: 1, maxLength: 100 }),
          valueFromEnv: Type.String({
            minLength: 1,
            maxLength: 100,
            description: 'the environment variable holding the credential',
          }),
          prefix: Type.Optional(Type.String({ maxLength: 50 })),
        },
        closed,
      ),
    ),
  ),
  requestsPerSecond: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  timeoutMs: Type.Optional(Type.Integer({ minimum: 100, maximum: 120_000 })),
  retries: Type.Optional(Type.Integer({ minimum: 0, maximum: 10 })),
  circuitBreaker: Type.Optional(
    Type.Object(
      {
        failures: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
        openSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 86_400 })),
      },
      closed,
    ),
  ),
  refetchAfterDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 365 })),
  nextPagePath: Type.Optional(Nullable(Path)),
  maxPages: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  mapping: Type.Object(
    {
      records: Path,
      sourceRef: Path,
      occurredOn: Path,
      summary: Path,
      signalType: ValueMap('signal types'),
      severity: Type.Optional(ValueMap('severities')),
      amount: Type.Optional(
        Type.Object(
          { field: Path, minorPerUnit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })) },
          closed,
        ),
      ),
      currency: Type.Optional(
        Type.Object(
          { field: Type.Optional(Path), fixed: Type.Optional(Type.String({ minLength: 3, maxLength: 3 })) },
          closed,
        ),
      ),
    },
    closed,
  ),
};
const Provider = Type.Object(
  { name: Type.String(), ...ProviderDocument },
  { description: 'the provider document as checked' },
);

/** Outside data by connector (A7): REST-JSON providers as data, asked per customer or for those due. */
export function dataProviderRoutes(app: Api, services: Services): void {
  app.put(
    '/v1/data-providers/:name',
    {
      schema: {
        tags,
        security,
        summary:
          'Configure a REST-JSON provider: base URL and path, credential header from an environment variable, pace, timeout, retries, circuit breaker, refetch window, paging and the mapping of its records to signal types',
        params: NameParams,
        body: Type.Object(ProviderDocument, closed),
        response: { 200: Provider, ...errorResponses },
      },
    },
    (request) => saveProvider(services, actorOf(request), { ...request.body, name: request.params.name }),
  );
  app.get(
    '/v1/data-providers',
    {
      schema: {
        tags,
        security,
        summary: 'The configured providers',
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({ ...Provider.properties, updatedBy: Type.String(), updatedAt: Timestamp }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    () => listProviders(services.store.db),
  );
  app.post(
    '/v1/data-providers/:name/fetch',
    {
      schema: {
        tags,
        security,
        summary:
          'Ask a provider about one customer now: its pages are kept raw, its records become signals (each once), alerts follow; a failure is kept as the customer’s status',
        params: NameParams,
        body: Type.Object({ customerId: Id }, { additionalProperties: false }),
        response: { 200: Outcome, ...errorResponses },
      },
    },
    (request) => fetchFromProvider(services, request.params.name, request.body.customerId),
  );
  app.post(
    '/v1/data-providers/:name/refresh',
    {
      schema: {
        tags,
        security,
        summary:
          'Ask a provider about every customer due: with exposure or a review due, not fetched within its refetch window',
        params: NameParams,
        body: Type.Object(
          { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            asked: Type.Integer(),
            ok: Type.Integer(),
            failed: Type.Integer(),
            circuitOpen: Type.Integer(),
            signalsNew: Type.Integer(),
          }),
          ...errorResponses,
        },
      },
    },
    (request) => refreshFromProvider(services, request.params.name, request.body),
  );
  app.get(
    '/v1/customers/:id/data-fetches',
    {
      schema: {
        tags,
        security,
        summary: 'When each provider was last asked about the customer, and what came of it',
        params: IdParams,
        response: {
          200: Type.Object({
            items: Type.Array(Type.Object({ ...Outcome.properties, fetchedAt: Timestamp })),
          }),
          ...errorResponses,
        },
      },
    },
    (request) => customerFetches(services.store.db, request.params.id),
  );
}
