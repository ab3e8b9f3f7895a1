import { Type } from 'typebox';
import {
  decideApplication,
  getApplication,
  listApplications,
  submitApplication,
} from '../../app/onboarding/credit-applications.js';
import type { Services } from '../../app/services.js';
import { SCREEN_CONDITIONS, SCREEN_OUTCOMES } from '../../core/onboarding/pre-screen.js';
import { actorOf, approverOf } from '../auth.js';
import { ScreenReason } from '../credit-schemas.js';
import {
  Country,
  Currency,
  ExternalId,
  errorResponses,
  Id,
  IdParams,
  Nullable,
  Segment,
  Timestamp,
} from '../schemas.js';
import { type Api, security } from './types.js';

const tags = ['onboarding'];
const Minor = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER });
const Figure = Type.Integer({ minimum: Number.MIN_SAFE_INTEGER, maximum: Number.MAX_SAFE_INTEGER });
const Contact = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    email: Type.Optional(Type.String({ maxLength: 200 })),
    phone: Type.Optional(Type.String({ maxLength: 50 })),
  },
  { additionalProperties: false },
);
const Financials = Type.Object(
  {
    period: Type.Optional(Type.String({ maxLength: 20, description: 'e.g. 2025 or 2025-12-31' })),
    totalAssets: Figure,
    totalLiabilities: Figure,
    workingCapital: Figure,
    retainedEarnings: Figure,
    ebit: Figure,
    bookEquity: Figure,
    sales: Type.Optional(Minor),
    manufacturer: Type.Optional(
      Type.Boolean({ description: 'Altman Z′ (private manufacturer) instead of Z″' }),
    ),
  },
  { additionalProperties: false, description: 'minor units of the application’s currency' },
);
const Screening = Type.Object({
  outcome: Type.Enum([...SCREEN_OUTCOMES]),
  reasons: Type.Array(ScreenReason),
  conditions: Type.Array(Type.Enum([...SCREEN_CONDITIONS])),
  altman: Nullable(Type.Object({ model: Type.String(), z: Type.Number(), zone: Type.String() })),
  riskClass: Type.String(),
  recommendedLimitMinor: Type.Integer(),
});
const Application = Type.Object({
  id: Id,
  externalId: Type.String(),
  legalName: Type.String(),
  registrationId: Type.String(),
  country: Type.String(),
  currency: Type.String(),
  segment: Type.String(),
  contacts: Type.Array(Contact),
  requestedLimitMinor: Type.Integer(),
  requestedTermsDays: Type.Integer(),
  expectedMonthlyPurchasesMinor: Type.Integer(),
  financials: Nullable(Financials),
  screening: Screening,
  outcome: Type.String(),
  status: Type.Enum(['screened', 'approved', 'rejected']),
  createdBy: Type.String(),
  createdAt: Timestamp,
  decidedBy: Nullable(Type.String()),
  decidedAt: Nullable(Timestamp),
  decisionNote: Nullable(Type.String()),
  customerId: Nullable(Id),
  limitRequestId: Nullable(Id),
});
const Note = Type.Object(
  { note: Type.String({ minLength: 1, maxLength: 2000 }) },
  { additionalProperties: false },
);

/** Onboarding (A1): a prospect's credit application, screened at once, decided by someone else. */
export function onboardingRoutes(app: Api, services: Services): void {
  app.post(
    '/v1/credit-applications',
    {
      schema: {
        tags,
        security,
        summary:
          'Apply for credit for a prospect: screened at once (blacklist, outside signals, Altman Z, recommended limit)',
        body: Type.Object(
          {
            externalId: Type.Optional(ExternalId),
            legalName: Type.String({ minLength: 1, maxLength: 200 }),
            registrationId: Type.String({ minLength: 1, maxLength: 60 }),
            country: Country,
            currency: Currency,
            segment: Segment,
            contacts: Type.Optional(Type.Array(Contact, { maxItems: 10 })),
            requestedLimitMinor: Minor,
            requestedTermsDays: Type.Integer({ minimum: 0, maximum: 365 }),
            expectedMonthlyPurchasesMinor: Minor,
            financials: Type.Optional(Nullable(Financials)),
          },
          { additionalProperties: false },
        ),
        response: { 201: Application, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await submitApplication(services, actorOf(request), request.body)),
  );

  app.get(
    '/v1/credit-applications',
    {
      schema: {
        tags,
        security,
        summary: 'Credit applications, newest first',
        querystring: Type.Object(
          { status: Type.Optional(Type.Enum(['screened', 'approved', 'rejected'])) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(Application) }), ...errorResponses },
      },
    },
    (request) => listApplications(services, request.query),
  );

  app.get(
    '/v1/credit-applications/:id',
    {
      schema: {
        tags,
        security,
        summary: 'A credit application with its screen',
        params: IdParams,
        response: { 200: Application, ...errorResponses },
      },
    },
    (request) => getApplication(services, request.params.id),
  );

  for (const approve of [true, false])
    app.post(
      `/v1/credit-applications/:id/${approve ? 'approve' : 'reject'}`,
      {
        schema: {
          tags,
          security,
          summary: approve
            ? 'Approve (not whoever entered it): the customer is created with its first limit request'
            : 'Reject (not whoever entered it)',
          params: IdParams,
          body: Note,
          response: { 200: Application, ...errorResponses },
        },
      },
      (request) =>
        decideApplication(services, approverOf(request), request.params.id, {
          approve,
          note: request.body.note,
        }),
    );
}
