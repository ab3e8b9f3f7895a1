import { Type } from 'typebox';
import {
  createPaymentPlan,
  listPaymentPlans,
  PAYMENT_PLAN_SORTS,
} from '../../app/collections/payment-plans.js';
import type { Services } from '../../app/services.js';
import { actorOf } from '../auth.js';
import {
  BusinessDate,
  errorResponses,
  Id,
  IdParams,
  Nullable,
  PageOf,
  PageQuery,
  SortQuery,
  Timestamp,
} from '../schemas.js';
import { type Api, security } from './types.js';

const tags = ['collections'];

const Plan = Type.Object({
  id: Id,
  customerId: Id,
  currency: Type.String(),
  totalMinor: Type.Integer(),
  startsOn: BusinessDate,
  graceDays: Type.Integer(),
  annualRatePercent: Type.Number(),
  instalments: Type.Array(
    Type.Object({
      seq: Type.Integer(),
      dueOn: BusinessDate,
      principalMinor: Type.Integer(),
      interestMinor: Type.Integer(),
    }),
  ),
  invoiceIds: Type.Array(Id),
  freezesSupply: Type.Boolean(),
  note: Type.String(),
  status: Type.String(),
  endedOn: Nullable(BusinessDate),
  paidMinor: Nullable(Type.Integer({ description: 'principal paid since the plan started' })),
  createdBy: Type.String(),
  createdAt: Timestamp,
});

/** Payment plans (E5). */
export function paymentPlanRoutes(app: Api, services: Services): void {
  app.post(
    '/v1/customers/:id/payment-plans',
    {
      schema: {
        tags,
        security,
        summary:
          'Turn overdue invoices into instalments (optionally with interest, optionally holding new orders): dunning pauses while the plan is kept',
        params: IdParams,
        body: Type.Object(
          {
            invoiceIds: Type.Array(Id, { minItems: 1, maxItems: 500, uniqueItems: true }),
            instalments: Type.Integer({ minimum: 1, maximum: 60 }),
            firstDueOn: BusinessDate,
            intervalDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 366, default: 30 })),
            annualRatePercent: Type.Optional(Type.Number({ minimum: 0, maximum: 100 })),
            graceDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 60 })),
            freezeSupply: Type.Optional(Type.Boolean()),
            note: Type.String({ minLength: 1, maxLength: 1000 }),
          },
          { additionalProperties: false },
        ),
        response: { 201: Plan, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await createPaymentPlan(services, actorOf(request), request.params.id, request.body)),
  );

  app.get(
    '/v1/payment-plans',
    {
      schema: {
        tags,
        security,
        summary:
          'Payment plans, newest first unless sorted otherwise, with what has been paid, a page at a time',
        querystring: Type.Object(
          {
            ...PageQuery,
            customerId: Type.Optional(Id),
            status: Type.Optional(Type.Enum(['active', 'completed', 'broken'])),
            sort: SortQuery(
              PAYMENT_PLAN_SORTS,
              'by when agreed (the default: newest first, -createdAt) or total; `-` first for descending',
            ),
          },
          { additionalProperties: false },
        ),
        response: { 200: PageOf(Plan), ...errorResponses },
      },
    },
    (request) => listPaymentPlans(services, request.query),
  );
}
