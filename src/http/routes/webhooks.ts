import { Type } from 'typebox';
import type { Services } from '../../app/services.js';
import {
  createWebhook,
  listWebhooks,
  MAX_BATCH_SIZE,
  redeliver,
  setWebhookStatus,
  webhookDeliveries,
} from '../../app/webhooks/subscriptions.js';
import { actorOf } from '../auth.js';
import { errorResponses, Id, IdParams, Nullable, Timestamp } from '../schemas.js';
import { type Api, security } from './types.js';

const tags = ['webhooks'];
const Subscription = {
  id: Id,
  url: Type.String(),
  kinds: Type.Array(Type.String()),
  status: Type.Enum(['active', 'disabled']),
  batchSize: Type.Integer({
    description: 'events a request carries at most; above 1 the body is {"events":[…]} in event order',
  }),
  failuresInARow: Type.Integer(),
  disabledReason: Nullable(Type.String()),
  createdBy: Type.String(),
  createdAt: Timestamp,
};
const Delivery = Type.Object({
  id: Id,
  subscriptionId: Id,
  eventSeq: Type.Integer({ description: 'the audit sequence of the event: its id, to deduplicate by' }),
  status: Type.Enum(['pending', 'delivered', 'failed']),
  attempts: Type.Integer(),
  nextAttemptAt: Nullable(Timestamp),
  lastStatusCode: Nullable(Type.Integer()),
  lastError: Nullable(Type.String()),
  lastResponse: Nullable(Type.String()),
  deliveredAt: Nullable(Timestamp),
  createdAt: Timestamp,
});

/** Webhooks (I1): subscriptions by event kind, signed deliveries, the delivery log, redelivery. */
export function webhookRoutes(app: Api, services: Services): void {
  app.post(
    '/v1/webhooks',
    {
      schema: {
        tags,
        security,
        summary:
          'Subscribe a URL to events by kind (entity types such as order or limit_request, actions such as limit_request.approved, or *); the signing secret is shown only here',
        body: Type.Object(
          {
            url: Type.String({ minLength: 1, maxLength: 2000 }),
            kinds: Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { minItems: 1, maxItems: 50 }),
            batchSize: Type.Optional(
              Type.Integer({
                minimum: 1,
                maximum: MAX_BATCH_SIZE,
                description:
                  'up to this many events in one request, as {"events":[…]} (default 1: one event a request, the body is the event)',
              }),
            ),
          },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({
            ...Subscription,
            secret: Type.String({
              description: 'the HMAC-SHA256 key of Fulcrum-Signature: keep it, it is not shown again',
            }),
          }),
          ...errorResponses,
        },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createWebhook(services, actorOf(request), request.body)),
  );
  app.get(
    '/v1/webhooks',
    {
      schema: {
        tags,
        security,
        summary: 'Webhook subscriptions (without their secrets)',
        response: { 200: Type.Object({ items: Type.Array(Type.Object(Subscription)) }), ...errorResponses },
      },
    },
    () => listWebhooks(services),
  );
  app.patch(
    '/v1/webhooks/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Disable a subscription, or enable it again (its failure count starts afresh)',
        params: IdParams,
        body: Type.Object({ status: Type.Enum(['active', 'disabled']) }, { additionalProperties: false }),
        response: { 200: Type.Object(Subscription), ...errorResponses },
      },
    },
    (request) => setWebhookStatus(services, actorOf(request), request.params.id, request.body.status),
  );
  app.get(
    '/v1/webhooks/:id/deliveries',
    {
      schema: {
        tags,
        security,
        summary: 'The delivery log of a subscription, newest first: tries, the last answer, when delivered',
        params: IdParams,
        querystring: Type.Object(
          {
            status: Type.Optional(Type.Enum(['pending', 'delivered', 'failed'])),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(Delivery) }), ...errorResponses },
      },
    },
    (request) => webhookDeliveries(services, request.params.id, request.query),
  );
  app.post(
    '/v1/webhook-deliveries/:id/redeliver',
    {
      schema: {
        tags,
        security,
        summary: 'Send a delivery again from its first try',
        params: IdParams,
        response: { 200: Delivery, ...errorResponses },
      },
    },
    (request) => redeliver(services, request.params.id),
  );
}
