import { Type } from 'typebox';
import {
  approveProvisionRun,
  computeProvision,
  listProvisionRuns,
  provisionRun,
  recordProvisionRun,
} from '../../app/provisions/provision-run.js';
import type { Services } from '../../app/services.js';
import { actorOf } from '../auth.js';
import { BusinessDate, errorResponses, Id, IdParams, Nullable, Timestamp } from '../schemas.js';
import { type Api, security } from './types.js';

const tags = ['provisions'];

const Bucket = Type.Object({
  bucket: Type.String(),
  openMinor: Type.Integer(),
  lossRate: Type.Number(),
  reserveMinor: Type.Integer(),
});
const Result = Type.Object({
  asOf: BusinessDate,
  currency: Type.String(),
  reserveMinor: Type.Integer(),
  buckets: Type.Array(Bucket),
  matrix: Type.Array(
    Type.Object({
      bucket: Type.String(),
      balanceMinor: Type.Integer(),
      lossMinor: Type.Integer(),
      historicalRate: Type.Number(),
      lossRate: Type.Number(),
    }),
  ),
  monthEnds: Type.Array(BusinessDate),
  horizonMonthsUsed: Type.Integer(),
  settings: Type.Object({
    lookbackMonths: Type.Integer(),
    horizonMonths: Type.Integer(),
    lossDaysPastDue: Type.Integer(),
    overlay: Type.Number(),
    overlayReason: Nullable(Type.String()),
  }),
});
const Run = Type.Object({
  id: Id,
  asOf: BusinessDate,
  currency: Type.String(),
  reserveMinor: Type.Integer(),
  status: Type.Union([Type.Literal('draft'), Type.Literal('final')]),
  createdBy: Type.String(),
  createdAt: Timestamp,
  approvedBy: Nullable(Type.String()),
  approvedAt: Nullable(Timestamp),
});

/** The expected-credit-loss reserve (F1): month-end runs, kept as drafts, made final by finance. */
export function provisionRoutes(app: Api, services: Services): void {
  app.post(
    '/v1/provision-runs',
    {
      schema: {
        tags,
        security,
        summary: 'Compute the ECL reserve as of a date; kept as a draft run unless dryRun',
        body: Type.Object(
          {
            asOf: BusinessDate,
            dryRun: Type.Optional(Type.Boolean()),
            lookbackMonths: Type.Optional(Type.Integer({ minimum: 1, maximum: 120 })),
            horizonMonths: Type.Optional(Type.Integer({ minimum: 1, maximum: 36 })),
            lossDaysPastDue: Type.Optional(Type.Integer({ minimum: 0, maximum: 3650 })),
            overlay: Type.Optional(Type.Number({ minimum: 0, maximum: 10 })),
            overlayReason: Type.Optional(Type.String({ minLength: 1, maxLength: 1000 })),
          },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({
            ...Result.properties,
            run: Nullable(Type.Object({ id: Id, status: Type.String() })),
          }),
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const { asOf, dryRun, ...settings } = request.body;
      const result = await computeProvision(services, asOf, settings);
      const run = dryRun ? null : await recordProvisionRun(services, actorOf(request), result);
      return reply.status(201).send({ ...result, run });
    },
  );

  app.get(
    '/v1/provision-runs',
    {
      schema: {
        tags,
        security,
        summary: 'Provision runs, latest as-of date first',
        response: { 200: Type.Object({ items: Type.Array(Run) }), ...errorResponses },
      },
    },
    () => listProvisionRuns(services),
  );

  app.get(
    '/v1/provision-runs/:id',
    {
      schema: {
        tags,
        security,
        summary: 'A provision run with its matrix, settings and reserve by bucket',
        params: IdParams,
        response: { 200: Type.Object({ ...Run.properties, result: Result }), ...errorResponses },
      },
    },
    (request) => provisionRun(services, request.params.id),
  );

  app.post(
    '/v1/provision-runs/:id/approve',
    {
      schema: {
        tags,
        security,
        summary: 'Make a draft run final (finance; never by whoever ran it); a final run is never changed',
        params: IdParams,
        body: Type.Object(
          { note: Type.String({ minLength: 1, maxLength: 1000 }) },
          { additionalProperties: false },
        ),
        response: { 200: Run, ...errorResponses },
      },
    },
    (request) => approveProvisionRun(services, actorOf(request), request.params.id, request.body.note),
  );
}
