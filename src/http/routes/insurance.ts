import { Type } from 'typebox';
import { listBuyerLimits, recordBuyerLimit } from '../../app/insurance/buyer-limits.js';
import { fileClaim, listClaims, moveClaim } from '../../app/insurance/claims.js';
import {
  insuranceDeadlines,
  listNotifications,
  notifyInsurer,
} from '../../app/insurance/deadline-tracker.js';
import { createInsurancePolicy, listInsurancePolicies } from '../../app/insurance/insurance-policies.js';
import { notificationLetter } from '../../app/insurance/notification-letter.js';
import { turnoverDeclaration } from '../../app/insurance/turnover.js';
import type { Services } from '../../app/services.js';
import { BUYER_LIMIT_STATUSES } from '../../core/insurance/insurance-policy.js';
import { actorOf } from '../auth.js';
import { PdfBody, sendPdf } from '../pdf-reply.js';
import {
  BusinessDate,
  Country,
  Currency,
  errorResponses,
  Id,
  IdParams,
  Nullable,
  Timestamp,
} from '../schemas.js';
import { type Api, security } from './types.js';

const tags = ['credit insurance'];
const Amount = Type.Integer({ minimum: 0, description: 'integer minor units' });
const Days = (max: number) => Type.Integer({ minimum: 0, maximum: max });

const PolicyInput = Type.Object(
  {
    insurer: Type.String({ minLength: 1, maxLength: 200 }),
    policyNumber: Type.String({ minLength: 1, maxLength: 100 }),
    currency: Currency,
    startsOn: BusinessDate,
    endsOn: BusinessDate,
    indemnityPercent: Type.Number({ minimum: 0, maximum: 100 }),
    deductibleMinor: Type.Optional(Amount),
    aggregateFirstLossMinor: Type.Optional(Amount),
    maxLiabilityMinor: Amount,
    discretionaryLimitMinor: Type.Optional(Amount),
    maxExtensionDays: Type.Optional(Days(365)),
    notificationDays: Days(365),
    claimFilingDays: Days(730),
    premiumRatePercent: Type.Number({ minimum: 0, maximum: 10 }),
    excludedCountries: Type.Optional(Type.Array(Country, { maxItems: 250 })),
  },
  { additionalProperties: false },
);
const Policy = Type.Object({
  id: Id,
  ...PolicyInput.properties,
  deductibleMinor: Amount,
  aggregateFirstLossMinor: Amount,
  discretionaryLimitMinor: Amount,
  maxExtensionDays: Type.Integer(),
  excludedCountries: Type.Array(Type.String()),
  createdBy: Type.String(),
  createdAt: Timestamp,
});
const BuyerLimit = Type.Object({
  id: Id,
  policyId: Id,
  customerId: Id,
  customerName: Type.String(),
  status: Type.Enum([...BUYER_LIMIT_STATUSES]),
  requestedMinor: Nullable(Type.Integer()),
  approvedMinor: Nullable(Type.Integer()),
  effectiveOn: BusinessDate,
  reference: Nullable(Type.String()),
  note: Nullable(Type.String()),
  recordedBy: Type.String(),
  recordedAt: Timestamp,
});
const Deadline = Type.Object({
  invoiceId: Id,
  invoiceNumber: Type.String(),
  customerId: Id,
  customerName: Type.String(),
  currency: Type.String(),
  openMinor: Type.Integer(),
  dueDate: BusinessDate,
  daysPastDue: Type.Integer(),
  notifyBy: BusinessDate,
  claimBy: BusinessDate,
  daysLeft: Type.Integer({ description: 'days to the notification deadline; negative once passed' }),
  claimDaysLeft: Type.Integer(),
  state: Type.Union([Type.Literal('notify'), Type.Literal('notified'), Type.Literal('cover_lost')]),
  notifiedOn: Nullable(BusinessDate),
});
const Claim = Type.Object({
  id: Id,
  policyId: Id,
  customerId: Id,
  customerName: Type.Optional(Type.String()),
  filedOn: BusinessDate,
  claimedMinor: Type.Integer(),
  documents: Type.Array(Type.String()),
  status: Type.Union([
    Type.Literal('filed'),
    Type.Literal('accepted'),
    Type.Literal('rejected'),
    Type.Literal('paid'),
  ]),
  acceptedMinor: Nullable(Type.Integer()),
  paidMinor: Nullable(Type.Integer()),
  paidOn: Nullable(BusinessDate),
  recoveredMinor: Type.Integer(),
  insurerRecoveryShareMinor: Type.Integer(),
  note: Nullable(Type.String()),
  filedBy: Type.String(),
  updatedAt: Timestamp,
});

/** Credit insurance (F2, B6): policies, the insurer's buyer limits, the deadline tracker, claims, turnover. */
export function insuranceRoutes(app: Api, services: Services): void {
  app.post(
    '/v1/insurance-policies',
    {
      schema: {
        tags,
        security,
        summary: 'Record a credit-insurance policy with its terms',
        body: PolicyInput,
        response: { 201: Policy, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createInsurancePolicy(services, actorOf(request), request.body)),
  );

  app.get(
    '/v1/insurance-policies',
    {
      schema: {
        tags,
        security,
        summary: 'Credit-insurance policies, latest first',
        response: { 200: Type.Object({ items: Type.Array(Policy) }), ...errorResponses },
      },
    },
    () => listInsurancePolicies(services.store.db),
  );

  app.post(
    '/v1/insurance-policies/:id/buyer-limits',
    {
      schema: {
        tags,
        security,
        summary: "Record an application to the insurer for a buyer, or the insurer's decision on it",
        params: IdParams,
        body: Type.Object(
          {
            customerId: Id,
            status: Type.Enum([...BUYER_LIMIT_STATUSES]),
            requestedMinor: Type.Optional(Nullable(Amount)),
            approvedMinor: Type.Optional(Nullable(Amount)),
            effectiveOn: BusinessDate,
            reference: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
            note: Type.Optional(Nullable(Type.String({ maxLength: 1000 }))),
          },
          { additionalProperties: false },
        ),
        response: { 201: Type.Omit(BuyerLimit, ['customerName']), ...errorResponses },
      },
    },
    async (request, reply) => {
      const input = { ...request.body, policyId: request.params.id };
      return reply.status(201).send(await recordBuyerLimit(services, actorOf(request), input));
    },
  );

  app.get(
    '/v1/insurance-policies/:id/buyer-limits',
    {
      schema: {
        tags,
        security,
        summary: "The insurer's decisions and applications under a policy, latest first",
        params: IdParams,
        querystring: Type.Object({ customerId: Type.Optional(Id) }, { additionalProperties: false }),
        response: { 200: Type.Object({ items: Type.Array(BuyerLimit) }), ...errorResponses },
      },
    },
    (request) =>
      listBuyerLimits(services.store.db, {
        policyId: request.params.id,
        customerId: request.query.customerId,
      }),
  );

  app.get(
    '/v1/insurance-policies/:id/turnover',
    {
      schema: {
        tags,
        security,
        summary: 'The monthly turnover declaration: insured turnover per buyer and country, with the premium',
        params: IdParams,
        querystring: Type.Object(
          { month: Type.String({ pattern: '^\\d{4}-\\d{2}$', description: 'YYYY-MM' }) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            policyId: Id,
            policyNumber: Type.String(),
            month: Type.String(),
            currency: Type.String(),
            turnoverMinor: Type.Integer(),
            premiumRatePercent: Type.Number(),
            premiumMinor: Type.Integer(),
            byCountry: Type.Array(Type.Object({ country: Type.String(), turnoverMinor: Type.Integer() })),
            items: Type.Array(
              Type.Object({
                customerId: Id,
                customerName: Type.String(),
                country: Type.String(),
                turnoverMinor: Type.Integer(),
                invoices: Type.Integer(),
              }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const { byBuyer, ...rest } = await turnoverDeclaration(
        services,
        request.params.id,
        request.query.month,
      );
      return { ...rest, items: byBuyer };
    },
  );

  app.get(
    '/v1/insurance/deadlines',
    {
      schema: {
        tags,
        security,
        summary:
          'Overdue invoices of insured buyers against the notification and claim deadlines, most urgent first',
        querystring: Type.Object(
          {
            customerId: Type.Optional(Id),
            state: Type.Optional(
              Type.Union([Type.Literal('notify'), Type.Literal('notified'), Type.Literal('cover_lost')]),
            ),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ policyId: Nullable(Id), today: BusinessDate, items: Type.Array(Deadline) }),
          ...errorResponses,
        },
      },
    },
    (request) => insuranceDeadlines(services, request.query),
  );

  app.post(
    '/v1/insurance/notifications',
    {
      schema: {
        tags,
        security,
        summary:
          'Notify the insurer of overdue invoices (all or none); the notification file is GET …/notifications?format=xlsx',
        body: Type.Object(
          { invoiceIds: Type.Array(Id, { minItems: 1, maxItems: 1000 }) },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({
            notified: Type.Integer(),
            items: Type.Array(Type.Object({ ...Deadline.properties, lateNotice: Type.Boolean() })),
          }),
          ...errorResponses,
        },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await notifyInsurer(services, actorOf(request), request.body.invoiceIds)),
  );

  app.get(
    '/v1/insurance/notifications',
    {
      schema: {
        tags,
        security,
        summary:
          'Overdue notifications made to the insurer, latest first (the file it expects: ?format=xlsx|csv)',
        querystring: Type.Object({ since: Type.Optional(BusinessDate) }, { additionalProperties: false }),
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                policyNumber: Type.String(),
                buyer: Type.String(),
                buyerRegistrationId: Nullable(Type.String()),
                country: Type.String(),
                invoiceNumber: Type.String(),
                issueDate: BusinessDate,
                dueDate: BusinessDate,
                currency: Type.String(),
                openMinor: Type.Integer(),
                notifiedOn: BusinessDate,
                recordedBy: Type.String(),
              }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    (request) => listNotifications(services.store.db, request.query.since),
  );

  app.post(
    '/v1/insurance-claims',
    {
      schema: {
        tags,
        security,
        summary: 'File a claim with the insurer, with the documents sent',
        body: Type.Object(
          {
            policyId: Id,
            customerId: Id,
            claimedMinor: Type.Integer({ minimum: 1 }),
            filedOn: Type.Optional(BusinessDate),
            documents: Type.Array(Type.String({ minLength: 1, maxLength: 200 }), {
              minItems: 1,
              maxItems: 50,
            }),
            note: Type.Optional(Type.String({ maxLength: 1000 })),
          },
          { additionalProperties: false },
        ),
        response: { 201: Claim, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await fileClaim(services, actorOf(request), request.body)),
  );

  app.get(
    '/v1/insurance-claims',
    {
      schema: {
        tags,
        security,
        summary: 'Claims, latest filed first',
        querystring: Type.Object({ customerId: Type.Optional(Id) }, { additionalProperties: false }),
        response: { 200: Type.Object({ items: Type.Array(Claim) }), ...errorResponses },
      },
    },
    (request) => listClaims(services.store.db, request.query),
  );

  app.post(
    '/v1/insurance-claims/:id/:action',
    {
      schema: {
        tags,
        security,
        summary:
          'Move a claim: accept (acceptedMinor), reject (note), pay (paidMinor, paidOn), recover (amountMinor, receivedOn)',
        params: Type.Object({
          id: Id,
          action: Type.Union([
            Type.Literal('accept'),
            Type.Literal('reject'),
            Type.Literal('pay'),
            Type.Literal('recover'),
          ]),
        }),
        body: Type.Object(
          {
            acceptedMinor: Type.Optional(Type.Integer({ minimum: 1 })),
            paidMinor: Type.Optional(Type.Integer({ minimum: 1 })),
            paidOn: Type.Optional(BusinessDate),
            amountMinor: Type.Optional(Type.Integer({ minimum: 1 })),
            receivedOn: Type.Optional(BusinessDate),
            note: Type.Optional(Type.String({ maxLength: 1000 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Claim, ...errorResponses },
      },
    },
    (request) =>
      moveClaim(services, actorOf(request), request.params.id, {
        action: request.params.action,
        ...request.body,
      } as Parameters<typeof moveClaim>[3]),
  );

  app.get(
    '/v1/insurance/notifications/letter',
    {
      schema: {
        tags,
        security,
        summary: 'The letter to the insurer for the invoices notified on a day, as a PDF',
        querystring: Type.Object({ notifiedOn: BusinessDate }, { additionalProperties: false }),
        response: {
          200: PdfBody,
          ...errorResponses,
        },
      },
    },
    async (request, reply) =>
      sendPdf(reply, {
        fileName: `insurer-notification-${request.query.notifiedOn}.pdf`,
        pdf: await notificationLetter(services.store.db, request.query.notifiedOn),
      }),
  );
}
