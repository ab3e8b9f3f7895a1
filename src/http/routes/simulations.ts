import { availableParallelism } from 'node:os';
import { Type } from 'typebox';
import { createPolicyDraft } from '../../app/credit/policies.js';
import type { Services } from '../../app/services.js';
import { RISK_CLASSES } from '../../core/rating/risk-class.js';
import { candidatePolicy, type FamilyParams } from '../../core/simulation/policy-families.js';
import { runOffLoop } from '../../jobs/off-loop.js';
import { actorOf } from '../auth.js';
import { Policy } from '../credit-schemas.js';
import { BusinessDate, errorResponses, Nullable } from '../schemas.js';
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
const Point = Type.Object({ salesMinor: Type.Integer(), lossMinor: Type.Integer(), params: Params });

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
        body: Type.Object(
          {
            candidates: Type.Optional(Type.Integer({ minimum: 1, maximum: 5000 })),
            lossBudgetMinor: Type.Optional(LimitMinor),
            seed: Type.Optional(Type.Integer({ minimum: 0, maximum: 2 ** 31 })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            currency: Type.String(),
            from: Nullable(BusinessDate),
            to: BusinessDate,
            sales: Type.Integer(),
            unconvertedCurrencies: Type.Array(Type.String()),
            candidates: Type.Integer(),
            lossBudgetMinor: Type.Integer(),
            current: Type.Object({
              salesMinor: Type.Integer(),
              lossMinor: Type.Integer(),
              approved: Type.Integer(),
              conditioned: Type.Integer(),
              lost: Type.Integer(),
              lostMinor: Type.Integer(),
              policyVersion: Type.Integer(),
            }),
            baseline: Nullable(Point),
            best: Nullable(Point),
            upliftPct: Nullable(Type.Number()),
            frontier: Type.Object({ baseline: Type.Array(Point), fulcrum: Type.Array(Point) }),
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
}
