import { Type } from 'typebox';
import {
  decideWriteOff,
  listWriteOffRequests,
  requestWriteOff,
  WRITE_OFF_SORTS,
} from '../../app/receivables/write-off-requests.js';
import type { Services } from '../../app/services.js';
import { actorOf, approverOf } from '../auth.js';
import {
  BusinessDate,
  ExternalId,
  errorResponses,
  Id,
  IdParams,
  Nullable,
  PageOf,
  PageQuery,
  PositiveMinor,
  SortQuery,
  Timestamp,
} from '../schemas.js';
import { type Api, security } from './types.js';

const tags = ['credit notes'];

const WriteOffRequest = Type.Object({
  id: Id,
  invoiceId: Id,
  customerId: Id,
  externalId: Type.String(),
  issuedOn: BusinessDate,
  amountMinor: Type.Integer(),
  currency: Type.String(),
  reason: Type.String(),
  status: Type.String(),
  requestedBy: Type.String(),
  requestedAt: Timestamp,
  decidedBy: Nullable(Type.String()),
  decidedAt: Nullable(Timestamp),
  decisionNote: Nullable(Type.String()),
  creditNoteId: Nullable(Id),
});

/** Write-offs with approval (E7): requested by one person, approved by another within authority. */
export function writeOffRoutes(app: Api, services: Services): void {
  app.post(
    '/v1/write-off-requests',
    {
      schema: {
        tags,
        security,
        summary:
          'Ask to write off (part of) an invoice as bad debt; nothing is written off until someone else with the authority approves',
        body: Type.Object(
          {
            invoiceId: Id,
            externalId: ExternalId,
            issuedOn: Type.Optional(BusinessDate),
            amountMinor: PositiveMinor,
            reason: Type.String({ minLength: 1, maxLength: 500 }),
          },
          { additionalProperties: false },
        ),
        response: { 201: WriteOffRequest, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await requestWriteOff(services, actorOf(request), request.body)),
  );

  app.get(
    '/v1/write-off-requests',
    {
      schema: {
        tags,
        security,
        summary:
          'Write-off requests, oldest first unless sorted otherwise (the approvals inbox with status=pending), a page at a time',
        querystring: Type.Object(
          {
            ...PageQuery,
            status: Type.Optional(Type.Enum(['pending', 'approved', 'rejected'])),
            sort: SortQuery(
              WRITE_OFF_SORTS,
              'by when asked (the default, oldest first) or amount; `-` first for descending',
            ),
          },
          { additionalProperties: false },
        ),
        response: {
          200: PageOf(
            Type.Object({
              ...WriteOffRequest.properties,
              customerName: Type.String(),
              invoiceNumber: Type.String(),
              invoiceOpenMinor: Type.Integer({ description: 'what is still open on the invoice' }),
              requestedByName: Type.String({ description: 'who asked, by name' }),
            }),
          ),
          ...errorResponses,
        },
      },
    },
    (request) => listWriteOffRequests(services.store.db, request.query),
  );

  for (const [path, approve] of [
    ['approve', true],
    ['reject', false],
  ] as const) {
    app.post(
      `/v1/write-off-requests/:id/${path}`,
      {
        schema: {
          tags,
          security,
          summary: approve
            ? 'Approve a write-off (authority matrix: write_off; never by its requester): the write-off entry is written'
            : 'Reject a write-off request',
          params: IdParams,
          body: Type.Object(
            { note: Type.String({ minLength: 1, maxLength: 1000 }) },
            { additionalProperties: false },
          ),
          response: { 200: WriteOffRequest, ...errorResponses },
        },
      },
      (request) =>
        decideWriteOff(services, approverOf(request), request.params.id, {
          approve,
          note: request.body.note,
        }),
    );
  }
}
