import { Type } from 'typebox';
import {
  contestOrder,
  decideReviewCase,
  listReviewCases,
  orderDecisionNotice,
  REVIEW_CASE_SORTS,
} from '../../app/governance/review-cases.js';
import { createRiskCase, searchRiskCases } from '../../app/governance/risk-cases.js';
import type { Services } from '../../app/services.js';
import { NOTICE_LANGUAGES } from '../../core/collections/notices.js';
import { actorOf } from '../auth.js';
import {
  Currency,
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

const tags = ['governance'];

const ReviewCase = Type.Object({
  id: Id,
  subjectType: Type.String(),
  subjectId: Id,
  customerId: Id,
  contestedOutcome: Type.String(),
  reasonCodes: Type.Array(Type.String()),
  grounds: Type.String(),
  openedBy: Type.String(),
  openedAt: Timestamp,
  status: Type.String(),
  outcome: Nullable(Type.String()),
  decisionNote: Nullable(Type.String()),
  decidedBy: Nullable(Type.String()),
  decidedAt: Nullable(Timestamp),
});

const RiskCase = Type.Object({
  id: Id,
  title: Type.String(),
  customerId: Nullable(Id),
  whatHappened: Type.String(),
  warningSigns: Type.String(),
  lessons: Type.String(),
  tags: Type.Array(Type.String()),
  reasonCodes: Type.Array(Type.String()),
  lossMinor: Nullable(Type.Integer()),
  currency: Nullable(Type.String()),
  createdBy: Type.String(),
  createdAt: Timestamp,
});

/** Explanations and contests (G5), and the risk case library (G4). */
export function governanceRoutes(app: Api, services: Services): void {
  app.get(
    '/v1/orders/:id/notice',
    {
      schema: {
        tags,
        security,
        summary:
          "The customer-facing letter for an order's credit decision: the adverse reasons found, and how to contest",
        params: IdParams,
        querystring: Type.Object(
          { language: Type.Optional(Type.Enum([...NOTICE_LANGUAGES], { default: 'en' })) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            orderId: Id,
            language: Type.String(),
            outcome: Type.String(),
            reasonCodes: Type.Array(Type.String()),
            subject: Type.String(),
            body: Type.String(),
          }),
          ...errorResponses,
        },
      },
    },
    (request) => orderDecisionNotice(services, request.params.id, request.query.language ?? 'en'),
  );

  app.post(
    '/v1/orders/:id/contest',
    {
      schema: {
        tags,
        security,
        summary: "Contest an order's decision for the customer: opens a review case for someone not involved",
        params: IdParams,
        body: Type.Object(
          { grounds: Type.String({ minLength: 1, maxLength: 2000 }) },
          { additionalProperties: false },
        ),
        response: { 201: ReviewCase, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await contestOrder(services, actorOf(request), request.params.id, request.body.grounds)),
  );

  app.get(
    '/v1/review-cases',
    {
      schema: {
        tags,
        security,
        summary: 'Review cases opened by contests, oldest first unless sorted otherwise, a page at a time',
        querystring: Type.Object(
          {
            ...PageQuery,
            status: Type.Optional(Type.Enum(['open', 'decided'])),
            sort: SortQuery(
              REVIEW_CASE_SORTS,
              'by when opened (the default, oldest first); `-openedAt` for newest first',
            ),
          },
          { additionalProperties: false },
        ),
        response: { 200: PageOf(ReviewCase), ...errorResponses },
      },
    },
    (request) => listReviewCases(services.store.db, request.query),
  );

  app.post(
    '/v1/review-cases/:id/decide',
    {
      schema: {
        tags,
        security,
        summary: 'Uphold or overturn a contested decision, with reasons (never by anyone involved)',
        params: IdParams,
        body: Type.Object(
          {
            outcome: Type.Enum(['upheld', 'overturned']),
            note: Type.String({ minLength: 1, maxLength: 2000 }),
          },
          { additionalProperties: false },
        ),
        response: { 200: ReviewCase, ...errorResponses },
      },
    },
    (request) => decideReviewCase(services, actorOf(request), request.params.id, request.body),
  );

  app.post(
    '/v1/risk-cases',
    {
      schema: {
        tags,
        security,
        summary: 'Add a case to the risk case library: what happened, warning signs seen too late, lessons',
        body: Type.Object(
          {
            title: Type.String({ minLength: 1, maxLength: 200 }),
            customerId: Type.Optional(Nullable(Id)),
            whatHappened: Type.String({ minLength: 1, maxLength: 5000 }),
            warningSigns: Type.String({ minLength: 1, maxLength: 5000 }),
            lessons: Type.String({ minLength: 1, maxLength: 5000 }),
            tags: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 50 }), { maxItems: 20 })),
            reasonCodes: Type.Optional(
              Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 20 }),
            ),
            lossMinor: Type.Optional(Nullable(PositiveMinor)),
            currency: Type.Optional(Nullable(Currency)),
          },
          { additionalProperties: false },
        ),
        response: { 201: RiskCase, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createRiskCase(services, actorOf(request), request.body)),
  );

  app.get(
    '/v1/risk-cases',
    {
      schema: {
        tags,
        security,
        summary: 'Search the risk case library by words, tag, reason code or customer, newest first',
        querystring: Type.Object(
          {
            q: Type.Optional(Type.String({ maxLength: 200 })),
            tag: Type.Optional(Type.String({ maxLength: 50 })),
            reasonCode: Type.Optional(Type.String({ maxLength: 64 })),
            customerId: Type.Optional(Id),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(RiskCase) }), ...errorResponses },
      },
    },
    async (request) => ({ items: await searchRiskCases(services.store.db, request.query) }),
  );
}
