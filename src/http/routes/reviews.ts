import { Type } from 'typebox';
import { customerReviews, recordReview, reviewsDue } from '../../app/reviews/credit-reviews.js';
import type { Services } from '../../app/services.js';
import { LIMIT_DECISIONS } from '../../core/reviews/review-cycle.js';
import { actorOf } from '../auth.js';
import { BusinessDate, errorResponses, Id, IdParams, Timestamp } from '../schemas.js';
import { type Api, security } from './types.js';

const tags = ['credit reviews'];
const Review = Type.Object({
  id: Id,
  customerId: Id,
  reviewedOn: BusinessDate,
  riskClass: Type.String(),
  findings: Type.String(),
  limitDecision: Type.Enum([...LIMIT_DECISIONS]),
  nextReviewOn: BusinessDate,
  reviewedBy: Type.String(),
  createdAt: Timestamp,
});

/** Periodic credit reviews (D3): the calendar of what is due, and each review with its next date. */
export function reviewRoutes(app: Api, services: Services): void {
  app.get(
    '/v1/credit-reviews/due',
    {
      schema: {
        tags,
        security,
        summary: 'Customers whose periodic review is past due or due within `within` days, soonest first',
        querystring: Type.Object(
          { within: Type.Optional(Type.Integer({ minimum: 0, maximum: 366 })) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            asOf: BusinessDate,
            items: Type.Array(
              Type.Object({
                customerId: Id,
                customerName: Type.String(),
                riskClass: Type.String(),
                lastReviewed: Type.Boolean(),
                dueOn: BusinessDate,
                daysOverdue: Type.Integer(),
              }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    (request) => reviewsDue(services, request.query.within),
  );

  app.post(
    '/v1/customers/:id/credit-reviews',
    {
      schema: {
        tags,
        security,
        summary:
          'Record a periodic credit review: findings, the limit decision, the next review (a cycle of the risk class unless sooner)',
        params: IdParams,
        body: Type.Object(
          {
            findings: Type.String({ minLength: 1, maxLength: 4000 }),
            limitDecision: Type.Enum([...LIMIT_DECISIONS]),
            reviewedOn: Type.Optional(BusinessDate),
            nextReviewOn: Type.Optional(BusinessDate),
          },
          { additionalProperties: false },
        ),
        response: { 201: Review, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await recordReview(services, actorOf(request), request.params.id, request.body)),
  );

  app.get(
    '/v1/customers/:id/credit-reviews',
    {
      schema: {
        tags,
        security,
        summary: 'A customer’s credit reviews, latest first',
        params: IdParams,
        response: { 200: Type.Object({ items: Type.Array(Review) }), ...errorResponses },
      },
    },
    (request) => customerReviews(services, request.params.id),
  );
}
