import { availableParallelism } from 'node:os';
import { Type } from 'typebox';
import { createPolicyDraft } from '../../app/credit/policies.js';
import type { Services } from '../../app/services.js';
import {
  cancelSimulation,
  getSimulation,
  listSimulations,
  type SimulationRequest,
  startSimulation,
} from '../../app/simulation/simulation-jobs.js';
import { RISK_CLASSES } from '../../core/rating/risk-class.js';
import { candidatePolicy, type FamilyParams } from '../../core/simulation/policy-families.js';
import { runOffLoop } from '../../jobs/off-loop.js';
import { actorOf } from '../auth.js';
import { Appetite, Policy } from '../credit-schemas.js';
import { jobSchema } from '../job-schema.js';
import { BusinessDate, errorResponses, IdParams, Nullable } from '../schemas.js';
import { type Api, security } from './types.js';

const tags = ['simulation'];
const PerClass = Type.Object(
  Object.fromEntries(RISK_CLASSES.map((c) => [c, Type.Number({ minimum: 0, maximum: 1000 })])),
  { additionalProperties: false },
);
const Multiple = Type.Number({ minimum: 0, maximum: 1000 });
const LimitMinor = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER });

const StaticParams = Type.Object(
  {
    family: Type.Literal('static'),
    multiple: Multiple,
    overdueTolerance: Type.Number({ minimum: 0 }),
    newCustomerLimitMinor: LimitMinor,
  },
  { additionalProperties: false },
);
const FulcrumParams = Type.Object(
  {
    family: Type.Literal('fulcrum'),
    gradeCutoff: Type.Integer({ minimum: 1, maximum: 10 }),
    multiples: PerClass,
    overdueWeights: PerClass,
    overdueTolerance: Type.Number({ minimum: 0 }),
    prepayExcessPercent: Type.Number({ minimum: 0, maximum: 1000 }),
    newCustomerLimitMinor: LimitMinor,
    declineOnWarning: Type.Enum(['high', 'critical', 'never']),
  },
  { additionalProperties: false },
);
const Params = Type.Union([StaticParams, FulcrumParams]);
const FrontierRequest = {
  candidates: Type.Optional(Type.Integer({ minimum: 1, maximum: 5000 })),
  lossBudgetMinor: Type.Optional(LimitMinor),
  seed: Type.Optional(Type.Integer({ minimum: 0, maximum: 2 ** 31 })),
};
const StressRequest = {
  pdScale: Type.Optional(
    Type.Number({ minimum: 1, maximum: 10, description: 'every PD × this (default 2)' }),
  ),
  paymentDelayDays: Type.Optional(
    Type.Integer({
      minimum: 0,
      maximum: 365,
      description: 'every payment this many days later (default 30)',
    }),
  ),
  largestDefaults: Type.Optional(
    Type.Integer({ minimum: 0, maximum: 100, description: 'the largest exposures that default (default 3)' }),
  ),
  horizonDays: Type.Optional(
    Type.Integer({
      minimum: 1,
      maximum: 365,
      description: 'the cash-in window of the liquidity stress (default 30)',
    }),
  ),
};
const Simulation = jobSchema(
  Type.Unknown({ description: 'the answer of `fulcrum simulate <kind> --json` (null while it runs)' }),
);
const Share = Nullable(Type.Number());
const AppetiteMeasureName = Type.String();
/** What a policy did over the history (H2): sales, loss, queue work, DSO, exposure, appetite. */
const Outcome = {
  salesMinor: Type.Integer(),
  lossMinor: Type.Integer({ description: 'realised + expected' }),
  realisedLossMinor: Type.Integer({
    description: 'write-offs and 90+ days past due of approved sales, on the part sold on credit',
  }),
  expectedLossMinor: Type.Integer({
    description: 'PD × LGD × credit of approved sales history cannot value (refused then), and any stress',
  }),
  approved: Type.Integer(),
  conditioned: Type.Integer(),
  lost: Type.Integer(),
  lostMinor: Type.Integer(),
  queued: Type.Integer({ description: 'held or escalated: work for people' }),
  queuedPerWeek: Type.Number(),
  dsoDays: Share,
  meanExposureMinor: Type.Integer(),
  peakExposureMinor: Type.Integer(),
  annualLossRate: Share,
  worstClassesShare: Share,
  singleNameShare: Share,
  withinAppetite: Type.Boolean(),
  appetiteBreaches: Type.Array(AppetiteMeasureName),
};
const Point = Type.Object({ ...Outcome, params: Params });

/** The policy simulator (H2): the efficient frontier over the book's history, and a pick made a draft. */
export function simulationRoutes(app: Api, services: Services): void {
  app.post(
    '/v1/simulations/frontier',
    {
      schema: {
        tags,
        security,
        summary:
          'Replay the whole history under the current policy, the static baseline family and Fulcrum’s family (on worker threads): the most each sells within the loss budget',
        body: Type.Object(FrontierRequest, { additionalProperties: false }),
        response: {
          200: Type.Object({
            currency: Type.String(),
            from: Nullable(BusinessDate),
            to: BusinessDate,
            sales: Type.Integer(),
            unconvertedCurrencies: Type.Array(Type.String()),
            candidates: Type.Integer(),
            lossBudgetMinor: Type.Integer(),
            appetite: Appetite,
            current: Type.Object({ ...Outcome, policyVersion: Type.Integer() }),
            baseline: Nullable(Point),
            best: Nullable(Point),
            bestWithinAppetite: Nullable(Point),
            upliftPct: Nullable(Type.Number()),
            frontier: Type.Object({
              baseline: Type.Array(Point),
              fulcrum: Type.Array(Point),
              efficient: Type.Array(Point, {
                description: 'Fulcrum’s points efficient on sales ↑, loss ↓, DSO ↓',
              }),
            }),
          }),
          ...errorResponses,
        },
      },
    },
    // One core is left to serve requests while the sweep uses the others.
    (request) =>
      runOffLoop(services, 'frontier', { ...request.body, threads: Math.max(1, availableParallelism() - 1) }),
  );

  app.post(
    '/v1/simulations/frontier/policy',
    {
      schema: {
        tags,
        security,
        summary:
          'Draft the credit policy of a frontier point (then simulate and activate it as any draft); the limit rule comes back beside it',
        body: Type.Object(
          { name: Type.String({ minLength: 1, maxLength: 200 }), params: Params },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({
            policy: Policy,
            limitRule: Type.String({
              description: 'how the point sets each customer’s limit: apply through limit requests',
            }),
          }),
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const params = request.body.params as FamilyParams;
      const { document } = candidatePolicy(params);
      const policy = await createPolicyDraft(services, actorOf(request), {
        ...document,
        name: request.body.name,
      });
      const limitRule =
        params.family === 'static'
          ? `${params.multiple} × the customer's monthly purchases over the last 12 months`
          : `by risk class (${RISK_CLASSES.map((c) => `${c} ${params.multiples[c]}`).join(', ')}) × the customer's monthly purchases over the last 12 months`;
      return reply.status(201).send({ policy, limitRule });
    },
  );

  app.post(
    '/v1/simulations',
    {
      schema: {
        tags,
        security,
        summary:
          'Start a simulation as a background job — replay one policy version, the efficient frontier, or a stress test — and poll it for progress and the result',
        body: Type.Union([
          Type.Object(
            { kind: Type.Literal('replay'), policyVersion: Type.Optional(Type.Integer({ minimum: 0 })) },
            { additionalProperties: false },
          ),
          Type.Object(
            { kind: Type.Literal('frontier'), ...FrontierRequest },
            { additionalProperties: false },
          ),
          Type.Object({ kind: Type.Literal('stress'), ...StressRequest }, { additionalProperties: false }),
        ]),
        response: { 202: Simulation, ...errorResponses },
      },
    },
    async (request, reply) => {
      const body = request.body as SimulationRequest;
      const input =
        body.kind === 'frontier' ? { ...body, threads: Math.max(1, availableParallelism() - 1) } : body;
      return reply.status(202).send(await startSimulation(services, actorOf(request), input));
    },
  );

  app.get(
    '/v1/simulations',
    {
      schema: {
        tags,
        security,
        summary: 'Simulations, newest first (without their results)',
        querystring: Type.Object(
          {
            kind: Type.Optional(Type.Enum(['replay', 'frontier', 'stress'])),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(Simulation) }), ...errorResponses },
      },
    },
    (request) => listSimulations(services, request.query),
  );

  app.get(
    '/v1/simulations/:id',
    {
      schema: {
        tags,
        security,
        summary: 'One simulation: its progress, and its result once done',
        params: IdParams,
        response: { 200: Simulation, ...errorResponses },
      },
    },
    (request) => getSimulation(services, request.params.id),
  );

  app.post(
    '/v1/simulations/:id/cancel',
    {
      schema: {
        tags,
        security,
        summary: 'Stop a running simulation; it is kept as cancelled',
        params: IdParams,
        response: { 200: Simulation, ...errorResponses },
      },
    },
    (request) => cancelSimulation(services, request.params.id),
  );
}
