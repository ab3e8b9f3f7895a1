import { Type } from 'typebox';
import { blockCustomer, customerBlocks, removeBlock } from '../../app/collections/blocks.js';
import type { Services } from '../../app/services.js';
import { BLOCK_REASONS } from '../../core/collections/blocks.js';
import { actorOf, approverOf } from '../auth.js';
import { Currency, errorResponses, Id, IdParams, Nullable, Timestamp } from '../schemas.js';
import { type Api, security } from './types.js';

const tags = ['collections'];

const Conditions = Type.Object(
  {
    allOverduePaid: Type.Boolean(),
    monthsClean: Type.Integer({ minimum: 0, maximum: 60 }),
  },
  { additionalProperties: false },
);

const Block = Type.Object({
  id: Id,
  customerId: Id,
  kind: Type.String(),
  reasonCode: Type.String(),
  note: Type.String(),
  conditions: Conditions,
  status: Type.String(),
  openedBy: Type.String(),
  openedAt: Timestamp,
  removedBy: Nullable(Type.String()),
  removedAt: Nullable(Timestamp),
  removalNote: Nullable(Type.String()),
});

/** Blacklist and exit (E6). */
export function blockRoutes(app: Api, services: Services): void {
  app.post(
    '/v1/customers/:id/blocks',
    {
      schema: {
        tags,
        security,
        summary:
          'Blacklist a customer or start their exit, with a reason and the conditions for lifting it: new orders are declined, collection goes on',
        params: IdParams,
        body: Type.Object(
          {
            kind: Type.Enum(['blacklist', 'exit']),
            reasonCode: Type.Enum([...BLOCK_REASONS]),
            note: Type.String({ minLength: 1, maxLength: 2000 }),
            conditions: Type.Optional(Type.Partial(Conditions, { additionalProperties: false })),
          },
          { additionalProperties: false },
        ),
        response: { 201: Block, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await blockCustomer(services, actorOf(request), request.params.id, request.body)),
  );

  app.get(
    '/v1/customers/:id/blocks',
    {
      schema: {
        tags,
        security,
        summary:
          "A customer's blocks: the active one with its unmet lifting conditions and what is left to collect",
        params: IdParams,
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Intersect([
                Block,
                Type.Object({
                  unmetConditions: Type.Array(Type.String()),
                  openReceivables: Type.Array(Type.Object({ currency: Currency, openMinor: Type.Integer() })),
                }),
              ]),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => ({ items: await customerBlocks(services, request.params.id) }),
  );

  app.post(
    '/v1/customer-blocks/:id/lift',
    {
      schema: {
        tags,
        security,
        summary:
          'Lift a block: only when its conditions hold, by an authorised role other than whoever blocked',
        params: IdParams,
        body: Type.Object(
          { note: Type.String({ minLength: 1, maxLength: 2000 }) },
          { additionalProperties: false },
        ),
        response: { 200: Block, ...errorResponses },
      },
    },
    (request) => removeBlock(services, approverOf(request), request.params.id, request.body.note),
  );
}
