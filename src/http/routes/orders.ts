import { Type } from 'typebox';
import { decideHeldOrder } from '../../app/credit/decide-held-order.js';
import type { PlacedOrder } from '../../app/credit/decide-orders.js';
import { assertOrderFound, placeKeyedOrder, placeOrder, previewOrder } from '../../app/credit/place-order.js';
import { heldOrderQueue, QUEUE_SORTS } from '../../app/orders/held-queue.js';
import { moveOrder } from '../../app/orders/move-order.js';
import type { Services } from '../../app/services.js';
import { explainDecision, localeOf } from '../../core/policy/explain.js';
import { listOrders } from '../../store/queries/ledger.js';
import { orderRecord } from '../../store/records.js';
import { actorOf, approverOf } from '../auth.js';
import { Decision, OrderWithDecision } from '../credit-schemas.js';
import { priorAnswer, sendAnswer, sendStoredAnswer, storedAnswer } from '../idempotency.js';
import {
  BusinessDate,
  Currency,
  ExternalId,
  errorResponses,
  Id,
  IdParams,
  Nullable,
  PageOf,
  PageQuery,
  PositiveMinor,
  SortQuery,
} from '../schemas.js';
import { type Api, security } from './types.js';

const tags = ['orders'];
const OrderBody = Type.Object(
  {
    customerId: Id,
    externalId: ExternalId,
    amountMinor: PositiveMinor,
    currency: Currency,
    orderedOn: Type.Optional(BusinessDate),
  },
  { additionalProperties: false },
);
const NoteBody = Type.Object(
  { note: Type.String({ minLength: 1, maxLength: 1000 }) },
  { additionalProperties: false },
);
const QueueItem = Type.Object({
  ...OrderWithDecision.properties,
  customerName: Type.String(),
  requestedByName: Nullable(Type.String({ description: "who placed it, by name (a person's display name)" })),
  ageHours: Type.Number(),
  overdueSla: Type.Boolean(),
});

export function orderRoutes(app: Api, services: Services): void {
  const { db } = services.store;

  app.post(
    '/v1/orders',
    {
      // The desk looks the key up in the run that places the order, and records its answer there.
      config: { idempotency: 'handler' },
      schema: {
        tags,
        security,
        summary: 'Place an order: the real-time credit check decides it and records it with every reason',
        body: OrderBody,
        response: {
          201: Type.Object({ ...OrderWithDecision.properties, decision: Decision }),
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const body = (placed: PlacedOrder) => ({
        ...placed.order,
        decision: placed.order.decision as NonNullable<typeof placed.order.decision>,
      });
      const claim = request.idempotency;
      if (!claim)
        return reply.status(201).send(body(await placeOrder(services, actorOf(request), request.body)));
      // Keyed: the answer is recorded in the transaction that writes the order.
      let result: Awaited<ReturnType<typeof placeKeyedOrder>>;
      try {
        result = await placeKeyedOrder(services, actorOf(request), request.body, {
          ...claim,
          answer: (placed) => reply.serializeInput(body(placed), '201') as string,
        });
      } catch (error) {
        // Refused before the desk looked the key up: an answered key replays (or is reused).
        const prior = await priorAnswer(db, claim);
        if (!prior) throw error;
        claim.recorded = true;
        return sendStoredAnswer(reply, prior, claim.hash);
      }
      claim.recorded = true;
      if ('replayed' in result) return sendStoredAnswer(reply, await storedAnswer(db, claim), claim.hash);
      return sendAnswer(
        reply,
        201,
        result.answer ?? (reply.serializeInput(body(result.placed), '201') as string),
      );
    },
  );

  app.post(
    '/v1/orders/check',
    {
      config: { idempotency: 'outside' },
      schema: {
        tags,
        security,
        summary: 'What-if: the decision an order would get now; reserves and records nothing',
        body: Type.Object(
          { ...OrderBody.properties, externalId: Type.Optional(ExternalId) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ decision: Decision }), ...errorResponses },
      },
    },
    async (request) => {
      const { decision, currency } = await previewOrder(services, {
        ...request.body,
        externalId: request.body.externalId ?? 'what-if',
      });
      return { decision: explainDecision(decision, currency, localeOf(request.headers['accept-language'])) };
    },
  );

  app.get(
    '/v1/orders',
    {
      schema: {
        tags,
        security,
        summary: 'List orders',
        querystring: Type.Object(
          {
            ...PageQuery,
            customerId: Type.Optional(Id),
            status: Type.Optional(
              Type.Union(
                ['open', 'shipped', 'invoiced', 'cancelled', 'held', 'declined', 'rejected'].map((s) =>
                  Type.Literal(s),
                ),
              ),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 200: PageOf(OrderWithDecision), ...errorResponses },
      },
    },
    (request) => listOrders(db, request.query),
  );

  app.get(
    '/v1/orders/queue',
    {
      schema: {
        tags,
        security,
        summary:
          'The blocked-order queue: held and escalated orders with age and SLA, oldest first unless sorted otherwise, a page at a time',
        querystring: Type.Object(
          {
            ...PageQuery,
            sort: SortQuery(
              QUEUE_SORTS,
              "by when placed (default: oldest first) or amount (in each order's currency); `-` first for descending",
            ),
            customerId: Type.Optional(Id),
            overdueSla: Type.Optional(
              Type.Boolean({ description: 'only those past (true) or within (false) their review deadline' }),
            ),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ items: Type.Array(QueueItem), nextCursor: Nullable(Type.String()) }),
          ...errorResponses,
        },
      },
    },
    (request) => heldOrderQueue(services, localeOf(request.headers['accept-language']), request.query),
  );

  app.get(
    '/v1/orders/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Get an order with its decision',
        params: IdParams,
        response: { 200: OrderWithDecision, ...errorResponses },
      },
    },
    async (request) =>
      orderRecord(
        assertOrderFound(
          await db.selectFrom('orders').selectAll().where('id', '=', request.params.id).executeTakeFirst(),
          request.params.id,
        ),
        localeOf(request.headers['accept-language']),
      ),
  );

  for (const [path, release] of [
    ['release', true],
    ['reject', false],
  ] as const) {
    app.post(
      `/v1/orders/:id/${path}`,
      {
        schema: {
          tags,
          security,
          summary: release
            ? 'Release a held order (authority matrix; never by its requester)'
            : 'Reject a held order (never by its requester)',
          params: IdParams,
          body: NoteBody,
          response: {
            200: Type.Object({ ...OrderWithDecision.properties, overLimitMinor: Type.Integer() }),
            ...errorResponses,
          },
        },
      },
      (request) =>
        decideHeldOrder(services, approverOf(request), request.params.id, {
          release,
          note: request.body.note,
        }),
    );
  }

  app.post(
    '/v1/orders/:id/ship',
    {
      schema: {
        tags,
        security,
        summary: 'Mark an open order shipped (it stays in exposure as shipped-not-invoiced)',
        params: IdParams,
        body: Type.Object({ shippedOn: Type.Optional(BusinessDate) }, { additionalProperties: false }),
        response: { 200: OrderWithDecision, ...errorResponses },
      },
    },
    (request) => moveOrder(services, actorOf(request), request.params.id, 'ship', request.body.shippedOn),
  );

  app.post(
    '/v1/orders/:id/cancel',
    {
      schema: {
        tags,
        security,
        summary: 'Cancel an order, freeing its credit',
        params: IdParams,
        response: { 200: OrderWithDecision, ...errorResponses },
      },
    },
    (request) => moveOrder(services, actorOf(request), request.params.id, 'cancel'),
  );
}
