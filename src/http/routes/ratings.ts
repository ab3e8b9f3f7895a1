import { Type } from 'typebox';
import {
  decideRatingOverride,
  endRatingOverride,
  listRatingOverrides,
  ratingMigrationBetween,
  requestRatingOverride,
} from '../../app/scoring/ratings.js';
import type { Services } from '../../app/services.js';
import { OVERRIDE_REASON_MIN_LENGTH, OVERRIDE_STATUSES } from '../../core/rating/override.js';
import { parseBusinessDate } from '../../core/time/business-date.js';
import { actorOf } from '../auth.js';
import { BusinessDate, errorResponses, Id, IdParams, Nullable, Timestamp } from '../schemas.js';
import { type Api, security } from './types.js';

const tags = ['scoring and rating'];

const Grade = Type.Integer({ minimum: 1, maximum: 10 });

const Override = Type.Object({
  id: Id,
  customerId: Id,
  grade: Type.Integer(),
  modelGrade: Nullable(Type.Integer()),
  reason: Type.String(),
  status: Type.Enum([...OVERRIDE_STATUSES]),
  requestedBy: Type.String(),
  requestedAt: Timestamp,
  decidedBy: Nullable(Type.String()),
  decidedAt: Nullable(Timestamp),
  decisionNote: Nullable(Type.String()),
  endedBy: Nullable(Type.String()),
  endedAt: Nullable(Timestamp),
});

const Note = Type.Object(
  { note: Type.String({ minLength: 1, maxLength: 2000 }) },
  { additionalProperties: false },
);

/** Rating overrides for strategic customers, with four-eyes approval, and rating migration (A6). */
export function ratingRoutes(app: Api, services: Services): void {
  app.post(
    '/v1/customers/:id/rating-overrides',
    {
      schema: {
        tags,
        security,
        summary:
          "Ask to set a strategic customer's grade apart from the model's, with a reason; it takes effect when someone else approves it",
        params: IdParams,
        body: Type.Object(
          {
            grade: Grade,
            reason: Type.String({ minLength: OVERRIDE_REASON_MIN_LENGTH, maxLength: 2000 }),
          },
          { additionalProperties: false },
        ),
        response: { 201: Override, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await requestRatingOverride(services, actorOf(request), request.params.id, request.body)),
  );

  app.get(
    '/v1/rating-overrides',
    {
      schema: {
        tags,
        security,
        summary: 'Rating overrides, newest first: pending ones wait for approval, active ones are in force',
        querystring: Type.Object(
          {
            status: Type.Optional(Type.Enum([...OVERRIDE_STATUSES])),
            customerId: Type.Optional(Id),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(Override) }), ...errorResponses },
      },
    },
    async (request) => ({ items: await listRatingOverrides(services.store.db, request.query) }),
  );

  app.post(
    '/v1/rating-overrides/:id/decisions',
    {
      schema: {
        tags,
        security,
        summary:
          'Approve (in force at once: grade and class change) or reject a pending override; never by its requester',
        params: IdParams,
        body: Type.Object(
          {
            decision: Type.Enum(['approve', 'reject']),
            note: Type.String({ minLength: 1, maxLength: 2000 }),
          },
          { additionalProperties: false },
        ),
        response: { 200: Override, ...errorResponses },
      },
    },
    (request) => decideRatingOverride(services, actorOf(request), request.params.id, request.body),
  );

  app.post(
    '/v1/rating-overrides/:id/end',
    {
      schema: {
        tags,
        security,
        summary: "End an override in force: the customer goes back to the model's rating",
        params: IdParams,
        body: Note,
        response: { 200: Override, ...errorResponses },
      },
    },
    (request) => endRatingOverride(services, actorOf(request), request.params.id, request.body.note),
  );

  app.get(
    '/v1/portfolio/rating-migration',
    {
      schema: {
        tags,
        security,
        summary:
          'Rating migration: customers counted by grade at the start (rows) and the end (columns) of a period, from the rating history',
        querystring: Type.Object({ from: BusinessDate, to: BusinessDate }, { additionalProperties: false }),
        response: {
          200: Type.Object({
            from: BusinessDate,
            to: BusinessDate,
            matrix: Type.Array(Type.Array(Type.Integer()), {
              description: 'matrix[i][j]: grade i+1 → grade j+1',
            }),
            upgraded: Type.Integer(),
            downgraded: Type.Integer(),
            unchanged: Type.Integer(),
            newlyRated: Type.Integer(),
            noLongerRated: Type.Integer(),
          }),
          ...errorResponses,
        },
      },
    },
    (request) =>
      ratingMigrationBetween(
        services.store.db,
        parseBusinessDate(request.query.from, 'from'),
        parseBusinessDate(request.query.to, 'to'),
      ),
  );
}
