import { Type } from 'typebox';
import { customerSignals, recordSignals } from '../../app/external-data/record-signals.js';
import type { Services } from '../../app/services.js';
import { SIGNAL_TYPES } from '../../core/external-data/signals.js';
import { SEVERITIES } from '../../core/monitoring/warning-rules.js';
import { actorOf } from '../auth.js';
import {
  BusinessDate,
  Currency,
  ExternalId,
  errorResponses,
  Id,
  IdParams,
  Nullable,
  Timestamp,
} from '../schemas.js';
import { type Api, security } from './types.js';

const tags = ['external data'];
const SignalType = Type.Enum(Object.keys(SIGNAL_TYPES) as (keyof typeof SIGNAL_TYPES)[]);

const Signal = Type.Object({
  id: Id,
  customerId: Id,
  source: Type.String(),
  sourceRef: Type.String(),
  signalType: Type.String(),
  severity: Type.String(),
  occurredOn: BusinessDate,
  amountMinor: Nullable(Type.Integer()),
  currency: Nullable(Type.String()),
  summary: Type.String(),
  receivedAt: Timestamp,
  receivedBy: Type.String(),
});

/** Outside data (A7): what registries, courts, bureaus and insurers report about buyers. */
export function externalDataRoutes(app: Api, services: Services): void {
  app.post(
    '/v1/external-signals',
    {
      schema: {
        tags,
        security,
        summary:
          'Record what providers report about buyers (all or nothing; a fact already kept from its source is unchanged); the buyers are watched again at once',
        body: Type.Object(
          {
            signals: Type.Array(
              Type.Object(
                {
                  source: Type.String({ minLength: 1, maxLength: 100 }),
                  sourceRef: Type.String({ minLength: 1, maxLength: 200 }),
                  customerId: Type.Optional(Id),
                  customerExternalId: Type.Optional(ExternalId),
                  registrationId: Type.Optional(Type.String({ minLength: 1, maxLength: 60 })),
                  signalType: SignalType,
                  occurredOn: BusinessDate,
                  severity: Type.Optional(Nullable(Type.Enum([...SEVERITIES]))),
                  amountMinor: Type.Optional(Nullable(Type.Integer({ minimum: 0 }))),
                  currency: Type.Optional(Nullable(Currency)),
                  summary: Type.String({ minLength: 1, maxLength: 2000 }),
                },
                { additionalProperties: false },
              ),
              { minItems: 1, maxItems: 10_000 },
            ),
          },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({
            received: Type.Integer(),
            unchanged: Type.Integer(),
            alertsRaised: Type.Integer(),
          }),
          ...errorResponses,
        },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await recordSignals(services, actorOf(request), request.body.signals)),
  );

  app.get(
    '/v1/customers/:id/signals',
    {
      schema: {
        tags,
        security,
        summary: 'What outside sources reported about a customer, newest first',
        params: IdParams,
        response: { 200: Type.Object({ items: Type.Array(Signal) }), ...errorResponses },
      },
    },
    (request) => customerSignals(services, request.params.id),
  );
}
