import { Type } from 'typebox';
import { completePolicyReview, listPolicyReviews } from '../../app/reviews/policy-reviews.js';
import type { Services } from '../../app/services.js';
import { POLICY_REVIEW_REASONS } from '../../core/reviews/policy-review.js';
import { actorOf } from '../auth.js';
import { BusinessDate, errorResponses, Id, IdParams, Nullable, Timestamp } from '../schemas.js';
import { type Api, security } from './types.js';

const tags = ['policy reviews'];
const PolicyReview = Type.Object({
  id: Id,
  reason: Type.Enum([...POLICY_REVIEW_REASONS]),
  subject: Type.String({ description: 'the measure breached, the month the regime changed, or the quarter' }),
  facts: Type.Record(Type.String(), Nullable(Type.Union([Type.String(), Type.Number()]))),
  raisedOn: BusinessDate,
  dueOn: BusinessDate,
  status: Type.Enum(['open', 'done']),
  outcome: Nullable(Type.String()),
  closedBy: Nullable(Type.String()),
  closedAt: Nullable(Timestamp),
});

/** Reviews of the credit policy as a whole (H3): raised by the daily run, closed by the credit manager. */
export function policyReviewRoutes(app: Api, services: Services): void {
  app.get(
    '/v1/policy-reviews',
    {
      schema: {
        tags,
        security,
        summary:
          'Policy reviews: after an appetite breach, a change of the economic regime, and each quarter (by due date)',
        querystring: Type.Object(
          { status: Type.Optional(Type.Enum(['open', 'done'])) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(PolicyReview) }), ...errorResponses },
      },
    },
    (request) => listPolicyReviews(services, request.query),
  );
  app.post(
    '/v1/policy-reviews/:id/complete',
    {
      schema: {
        tags,
        security,
        summary: 'Close a policy review with what was decided',
        params: IdParams,
        body: Type.Object(
          { outcome: Type.String({ minLength: 1, maxLength: 2000 }) },
          { additionalProperties: false },
        ),
        response: { 200: PolicyReview, ...errorResponses },
      },
    },
    (request) => completePolicyReview(services, actorOf(request), request.params.id, request.body),
  );
}
