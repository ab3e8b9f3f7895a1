import { Type } from 'typebox';
import {
  approveProvisionRun,
  listProvisionRuns,
  provisionBacktest,
  provisionCustomers,
  provisionJournal,
  provisionRun,
  recordProvisionRun,
} from '../../app/provisions/provision-run.js';
import {
  decideSpecificProvision,
  listSpecificProvisions,
  proposeSpecificProvision,
} from '../../app/provisions/specific-provisions.js';
import type { Services } from '../../app/services.js';
import { runOffLoop } from '../../jobs/off-loop.js';
import { actorOf } from '../auth.js';
import { BusinessDate, errorResponses, Id, IdParams, Nullable, Timestamp } from '../schemas.js';
import { type Api, security } from './types.js';

const tags = ['provisions'];

const Bucket = Type.Object({
  bucket: Type.String(),
  openMinor: Type.Integer(),
  lossRate: Type.Number(),
  grossReserveMinor: Type.Integer({ description: 'open × rate, before insurance' }),
  coverReliefMinor: Type.Integer({ description: 'what insurance would pay of that loss' }),
  reserveMinor: Type.Integer(),
});
const CustomerLine = {
  customerId: Id,
  customerName: Type.String(),
  openMinor: Type.Integer(),
  coverReliefMinor: Type.Integer(),
  reserveMinor: Type.Integer(),
};
const Movement = Type.Object({
  previousAsOf: Nullable(BusinessDate),
  openingMinor: Type.Integer(),
  utilisationMinor: Type.Integer(),
  chargeMinor: Type.Integer(),
  releaseMinor: Type.Integer(),
  closingMinor: Type.Integer(),
});
const JournalLine = Type.Object({
  entry: Type.Union([Type.Literal('charge'), Type.Literal('release'), Type.Literal('utilisation')]),
  account: Type.String(),
  debitMinor: Type.Integer(),
  creditMinor: Type.Integer(),
});
const Accounts = Type.Object(
  {
    impairmentExpense: Type.String({ pattern: '^[0-9A-Za-z.\\-]{1,20}$' }),
    lossAllowance: Type.String({ pattern: '^[0-9A-Za-z.\\-]{1,20}$' }),
    receivables: Type.String({ pattern: '^[0-9A-Za-z.\\-]{1,20}$' }),
  },
  { additionalProperties: false },
);
const Method = Type.Union([Type.Literal('loss_rate'), Type.Literal('roll_rate')]);
const SegmentBy = Type.Union([Type.Literal('none'), Type.Literal('segment')]);
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
  rolls: Nullable(
    Type.Array(
      Type.Object({
        from: Type.String(),
        balanceMinor: Type.Integer(),
        rolledMinor: Type.Integer(),
        rate: Type.Number(),
      }),
    ),
  ),
  segments: Nullable(
    Type.Array(
      Type.Object({
        segment: Type.String(),
        matrix: Type.Array(
          Type.Object({
            bucket: Type.String(),
            lossRate: Type.Number(),
            source: Type.Union([Type.Literal('segment'), Type.Literal('book')]),
          }),
        ),
      }),
    ),
  ),
  specific: Type.Array(
    Type.Object({
      ...CustomerLine,
      assessmentId: Id,
      recoveryRate: Type.Number(),
      grossReserveMinor: Type.Integer(),
      reason: Type.String(),
    }),
  ),
  topCustomers: Type.Array(
    Type.Object({
      ...CustomerLine,
      method: Type.Union([Type.Literal('collective'), Type.Literal('specific')]),
    }),
  ),
  coverReliefMinor: Type.Integer(),
  movement: Nullable(Movement),
  journal: Type.Array(JournalLine),
  monthEnds: Type.Array(BusinessDate),
  horizonMonthsUsed: Type.Integer(),
  settings: Type.Object({
    lookbackMonths: Type.Integer(),
    horizonMonths: Type.Integer(),
    lossDaysPastDue: Type.Integer(),
    overlay: Type.Number(),
    overlayReason: Nullable(Type.String()),
    overlayFromCycle: Type.Boolean(),
    method: Method,
    segmentBy: SegmentBy,
    accounts: Accounts,
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
            overlayFromCycle: Type.Optional(Type.Boolean()),
            method: Type.Optional(Method),
            segmentBy: Type.Optional(SegmentBy),
            accounts: Type.Optional(Type.Partial(Accounts)),
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
      // Off the event loop: it reads every invoice open in the last three years.
      const result = await runOffLoop(services, 'provision', { asOf, settings });
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
    '/v1/provision-runs/backtest',
    {
      schema: {
        tags,
        security,
        summary: "Each final run's reserve against the losses of the following 12 months, per bucket",
        response: {
          200: Type.Object({
            currency: Nullable(Type.String()),
            items: Type.Array(
              Type.Object({
                runId: Id,
                asOf: BusinessDate,
                horizonEnd: BusinessDate,
                complete: Type.Boolean(),
                reserveMinor: Type.Integer(),
                realisedLossMinor: Type.Integer(),
                buckets: Type.Array(
                  Type.Object({
                    bucket: Type.String(),
                    reserveMinor: Type.Integer(),
                    realisedLossMinor: Type.Integer(),
                  }),
                ),
                specific: Type.Object({ reserveMinor: Type.Integer(), realisedLossMinor: Type.Integer() }),
              }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    () => provisionBacktest(services),
  );

  app.get(
    '/v1/provision-runs/:id/journal',
    {
      schema: {
        tags,
        security,
        summary: "A run's journal lines (also as CSV or XLSX with ?format=)",
        params: IdParams,
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                runId: Id,
                asOf: BusinessDate,
                currency: Type.String(),
                ...JournalLine.properties,
                debit: Type.String({ description: 'major units, for the ledger' }),
                credit: Type.String(),
              }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    (request) => provisionJournal(services, request.params.id),
  );

  app.get(
    '/v1/provision-runs/:id/customers',
    {
      schema: {
        tags,
        security,
        summary: "A run's reserve by customer: individual assessments, then the largest collective ones",
        params: IdParams,
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                ...CustomerLine,
                method: Type.Union([Type.Literal('collective'), Type.Literal('specific')]),
              }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    (request) => provisionCustomers(services, request.params.id),
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

  const Assessment = Type.Object({
    id: Id,
    customerId: Id,
    customerName: Type.Optional(Type.String()),
    recoveryRate: Type.Number(),
    reason: Type.String(),
    status: Type.Union([
      Type.Literal('proposed'),
      Type.Literal('approved'),
      Type.Literal('rejected'),
      Type.Literal('ended'),
    ]),
    proposedBy: Type.String(),
    proposedAt: Timestamp,
    decidedBy: Nullable(Type.String()),
    decidedAt: Nullable(Timestamp),
    effectiveOn: Nullable(BusinessDate),
    endedOn: Nullable(BusinessDate),
  });

  app.post(
    '/v1/specific-provisions',
    {
      schema: {
        tags,
        security,
        summary: 'Propose an individual assessment of a credit-impaired customer (open × (1 − recovery))',
        body: Type.Object(
          {
            customerId: Id,
            recoveryRate: Type.Number({ minimum: 0, maximum: 1 }),
            reason: Type.String({ minLength: 1, maxLength: 1000 }),
          },
          { additionalProperties: false },
        ),
        response: { 201: Assessment, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await proposeSpecificProvision(services, actorOf(request), request.body)),
  );

  app.get(
    '/v1/specific-provisions',
    {
      schema: {
        tags,
        security,
        summary: 'Individual assessments, latest first',
        querystring: Type.Object(
          {
            customerId: Type.Optional(Id),
            status: Type.Optional(
              Type.Union([
                Type.Literal('proposed'),
                Type.Literal('approved'),
                Type.Literal('rejected'),
                Type.Literal('ended'),
              ]),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(Assessment) }), ...errorResponses },
      },
    },
    (request) => listSpecificProvisions(services.store.db, request.query),
  );

  app.post(
    '/v1/specific-provisions/:id/:decision',
    {
      schema: {
        tags,
        security,
        summary: 'Approve or reject a proposal (not one’s own), or end an approved assessment',
        params: Type.Object({
          id: Id,
          decision: Type.Union([Type.Literal('approve'), Type.Literal('reject'), Type.Literal('end')]),
        }),
        response: { 200: Assessment, ...errorResponses },
      },
    },
    (request) =>
      decideSpecificProvision(services, actorOf(request), request.params.id, request.params.decision),
  );
}
