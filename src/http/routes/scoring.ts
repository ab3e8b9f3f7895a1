import { Type } from 'typebox';
import { customerScore, listModels, rescoreCustomer } from '../../app/scoring/late-payment-scores.js';
import type { Services } from '../../app/services.js';
import { localeOf } from '../../core/policy/explain.js';
import { runOffLoop } from '../../jobs/off-loop.js';
import { actorOf } from '../auth.js';
import { BusinessDate, errorResponses, Id, IdParams, Nullable, Timestamp } from '../schemas.js';
import { type Api, security } from './types.js';

const tags = ['scoring'];

const CustomerScore = Type.Object({
  customerId: Id,
  modelId: Id,
  scoredOn: BusinessDate,
  definition: Type.String(),
  score: Type.Integer(),
  pd: Type.Number(),
  grade: Type.Integer(),
  reasons: Type.Array(
    Type.Object({
      feature: Type.String(),
      pointsLost: Type.Number(),
      value: Nullable(Type.Union([Type.Number(), Type.String()])),
      message: Type.String(),
    }),
  ),
  features: Type.Record(Type.String(), Nullable(Type.Union([Type.Number(), Type.String()]))),
});

const BackTest = Nullable(
  Type.Object({
    trainedUpTo: BusinessDate,
    trainRows: Type.Integer(),
    testRows: Type.Integer(),
    auc: Type.Number(),
    ks: Type.Number(),
    brier: Type.Number(),
    badRate: Type.Number(),
    calibration: Type.Array(
      Type.Object({
        count: Type.Integer(),
        pdFrom: Type.Number(),
        pdTo: Type.Number(),
        meanPd: Type.Number(),
        observedRate: Type.Number(),
      }),
    ),
    psi: Type.Number({ description: 'score stability from training to back-test invoices' }),
    // Optional: models trained before these were recorded have neither.
    featureStability: Type.Optional(
      Type.Array(
        Type.Object(
          { feature: Type.String(), psi: Type.Number() },
          { description: 'PSI of one feature on its bins' },
        ),
      ),
    ),
    challenger: Type.Optional(
      Type.Object(
        {
          kind: Type.Literal('gbdt'),
          auc: Type.Number(),
          ks: Type.Number(),
          brier: Type.Number(),
          trees: Type.Integer(),
          aucDelta: Type.Number({ description: 'challenger AUC − champion AUC on the back-test' }),
          verdict: Type.Enum(['champion_holds', 'challenger_ahead']),
        },
        { description: 'the gradient-boosted challenger on the same invoices: the comparison on record' },
      ),
    ),
    segmentation: Type.Optional(
      Type.Object(
        {
          chosen: Type.Enum(['pooled', 'segmented']),
          pooledAuc: Type.Number(),
          segmentedAuc: Nullable(Type.Number()),
          ownWeights: Type.Array(Type.String()),
        },
        { description: 'pooled weights against separate weights per segment on the same later invoices' },
      ),
    ),
    recalibration: Type.Optional(
      Type.Array(
        Type.Object({
          card: Type.String({ description: '`pooled` or a segment with weights of its own' }),
          rows: Type.Integer(),
          observedRate: Type.Number(),
          meanPdBefore: Type.Number(),
          interceptShift: Type.Number({ description: 'log-odds added to the intercept; 0 within noise' }),
        }),
        { description: 'calibration in the large of the refitted model on the later invoices' },
      ),
    ),
  }),
);
const FeatureIv = Type.Array(Type.Object({ name: Type.String(), iv: Type.Number() }));
const SegmentFeatures = Type.Array(Type.Object({ segment: Type.String(), features: FeatureIv }), {
  description: 'segments scored by weights of their own (the others by the pooled features)',
});

/** The behavioural late-payment model: the job, its versions, and each customer's score (A3, A4). */
export function scoringRoutes(app: Api, services: Services): void {
  app.post(
    '/v1/models/late-payment/refresh',
    {
      schema: {
        tags,
        security,
        summary:
          'Train the late-payment model on the stored history, back-test it on the last 3 months, make it the champion and score every customer',
        response: {
          200: Type.Object({
            modelId: Id,
            trainingRows: Type.Integer(),
            backTest: BackTest,
            features: FeatureIv,
            segments: SegmentFeatures,
            customersScored: Type.Integer(),
            seconds: Type.Number(),
          }),
          ...errorResponses,
        },
      },
    },
    // On a worker thread with its own connection: orders keep being answered while the model fits.
    (request) => runOffLoop(services, 'scoring', { actor: actorOf(request) }),
  );

  app.get(
    '/v1/models',
    {
      schema: {
        tags,
        security,
        summary: 'Model versions, newest first: the champion and the retired, with back-tests',
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                id: Id,
                purpose: Type.String(),
                status: Type.String(),
                trainingRows: Type.Integer(),
                backTest: BackTest,
                features: FeatureIv,
                segments: SegmentFeatures,
                createdBy: Type.String(),
                createdAt: Timestamp,
              }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async () => ({ items: await listModels(services.store.db) }),
  );

  app.get(
    '/v1/customers/:id/score',
    {
      schema: {
        tags,
        security,
        summary:
          "A customer's behavioural score: points, probability of paying 30+ days late, grade 1–10 and the reasons that cost the most points",
        params: IdParams,
        response: {
          200: CustomerScore,
          ...errorResponses,
        },
      },
    },
    (request) =>
      customerScore(services.store.db, request.params.id, localeOf(request.headers['accept-language'])),
  );

  app.post(
    '/v1/customers/:id/score',
    {
      schema: {
        tags,
        security,
        summary:
          'Score one customer again now with the champion model (after a payment or a statement the nightly job has not seen): its score, rating (an approved override stays) and audit entry',
        params: IdParams,
        response: { 200: CustomerScore, ...errorResponses },
      },
    },
    (request) =>
      rescoreCustomer(
        services,
        actorOf(request),
        request.params.id,
        localeOf(request.headers['accept-language']),
      ),
  );
}
