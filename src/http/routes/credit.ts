import { Type } from 'typebox';
import { committeeInbox, signOffLimitRequest } from '../../app/credit/committee.js';
import { customerBehaviour } from '../../app/credit/customer-behaviour.js';
import { exposureView } from '../../app/credit/exposure-view.js';
import { recordFxRate } from '../../app/credit/fx-rates.js';
import {
  decideLimitRequest,
  LIMIT_REQUEST_SORTS,
  limitHistory,
  listLimitRequests,
  requestLimit,
} from '../../app/credit/limit-requests.js';
import {
  activatePolicy,
  createPolicyDraft,
  getPolicy,
  listPolicies,
  simulatePolicy,
} from '../../app/credit/policies.js';
import { reviewLimitRelease } from '../../app/credit/review-limit-release.js';
import { profileRecord, updateCreditProfile } from '../../app/credit/update-profile.js';
import type { Services } from '../../app/services.js';
import { DomainError } from '../../core/errors.js';
import { recommendLimit } from '../../core/limits/recommend-limit.js';
import type { CreditPolicyDocument } from '../../core/policy/types.js';
import { actorOf, approverOf } from '../auth.js';
import {
  CreditProfile,
  ExposureView,
  LimitRequest,
  Policy,
  PolicyDocument,
  RiskClass,
  Tier,
} from '../credit-schemas.js';
import {
  BusinessDate,
  Currency,
  errorResponses,
  Id,
  IdParams,
  Minor,
  Nullable,
  PageOf,
  PageQuery,
  SortQuery,
  Timestamp,
} from '../schemas.js';
import { type Api, security } from './types.js';

const NonNegativeMinor = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER });
const Decide = Type.Object(
  { note: Type.String({ minLength: 1, maxLength: 1000 }) },
  { additionalProperties: false },
);
const VersionParams = Type.Object({ version: Type.Integer({ minimum: 0, maximum: 2_147_483_647 }) });

export function creditRoutes(app: Api, services: Services): void {
  const { db } = services.store;

  app.get(
    '/v1/customers/:id/exposure',
    {
      schema: {
        tags: ['limits and exposure'],
        security,
        summary: 'Limit in force today, exposure and available credit (customer and group)',
        params: IdParams,
        response: { 200: ExposureView, ...errorResponses },
      },
    },
    (request) => exposureView(db, request.params.id, services.clock.today()),
  );

  const MaybeNumber = Nullable(Type.Number());
  app.get(
    '/v1/customers/:id/behaviour',
    {
      schema: {
        tags: ['limits and exposure'],
        security,
        summary:
          "Behavioural features from the customer's own ledger: lateness and its trend, overdue, disputes, partial payments, growth",
        params: IdParams,
        response: {
          200: Type.Object({
            customerId: Id,
            asOf: BusinessDate,
            features: Type.Object({
              invoices: Type.Integer(),
              monthsTrading: Type.Integer(),
              lateShare: MaybeNumber,
              meanDaysLate: MaybeNumber,
              meanDaysToPay: MaybeNumber,
              daysLateTrend: MaybeNumber,
              overdueShare: MaybeNumber,
              creditedShare: Type.Number(),
              partialPaymentShare: MaybeNumber,
              growth: MaybeNumber,
            }),
          }),
          ...errorResponses,
        },
      },
    },
    (request) => customerBehaviour(db, request.params.id, services.clock.today()),
  );

  app.get(
    '/v1/customers/:id/credit-profile',
    {
      schema: {
        tags: ['limits and exposure'],
        security,
        summary: "A customer's risk class, rating, flags and security",
        params: IdParams,
        response: { 200: CreditProfile, ...errorResponses },
      },
    },
    async (request) => {
      const row = await db
        .selectFrom('credit_profiles')
        .selectAll()
        .where('customer_id', '=', request.params.id)
        .executeTakeFirst();
      if (!row) throw new DomainError('customer_not_found', `customer ${request.params.id} does not exist`);
      return profileRecord(row);
    },
  );

  app.patch(
    '/v1/customers/:id/credit-profile',
    {
      schema: {
        tags: ['limits and exposure'],
        security,
        summary:
          'Set risk class and rating grade (by hand only until the model rates the customer), stop-supply and strategic flags, insured cover, guarantees (audited)',
        params: IdParams,
        body: Type.Object(
          {
            riskClass: Type.Optional(RiskClass),
            ratingGrade: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 10 }))),
            stopSupply: Type.Optional(Type.Boolean()),
            insuredLimitMinor: Type.Optional(Nullable(NonNegativeMinor)),
            insuredCoveragePercent: Type.Optional(Nullable(Type.Number({ minimum: 0, maximum: 100 }))),
            guaranteeMinor: Type.Optional(Nullable(NonNegativeMinor)),
            lateInterestPercent: Type.Optional(
              Nullable(
                Type.Number({ minimum: 0, maximum: 100, description: 'late-payment interest, % a year' }),
              ),
            ),
            interestGraceDays: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: 365 }))),
            strategic: Type.Optional(
              Type.Boolean({ description: 'a strategic customer may have its model rating overridden (A6)' }),
            ),
          },
          { additionalProperties: false, minProperties: 1 },
        ),
        response: { 200: CreditProfile, ...errorResponses },
      },
    },
    (request) => updateCreditProfile(services, actorOf(request), request.params.id, request.body),
  );

  const LimitRecord = Type.Object({
    id: Id,
    kind: Type.String(),
    amountMinor: Minor,
    currency: Currency,
    startsOn: BusinessDate,
    expiresOn: Nullable(BusinessDate),
    tiers: Nullable(Type.Array(Tier)),
    releasedPercent: Type.Integer(),
    status: Type.String(),
    requestId: Nullable(Id),
    createdAt: Timestamp,
  });

  for (const subjectType of ['customer', 'group'] as const) {
    app.get(
      subjectType === 'customer' ? '/v1/customers/:id/limits' : '/v1/customer-groups/:id/limits',
      {
        schema: {
          tags: ['limits and exposure'],
          security,
          summary: `A ${subjectType}'s limits (active and past) and limit requests: the full history`,
          params: IdParams,
          response: {
            200: Type.Object({ limits: Type.Array(LimitRecord), requests: Type.Array(LimitRequest) }),
            ...errorResponses,
          },
        },
      },
      async (request) => ({
        limits: await limitHistory(db, { type: subjectType, id: request.params.id }),
        requests: (await listLimitRequests(db, { subjectId: request.params.id, limit: 500 })).items,
      }),
    );
  }

  app.post(
    '/v1/customers/:id/limit-release-review',
    {
      schema: {
        tags: ['limits and exposure'],
        security,
        summary: 'Release the tiers of a step-wise limit whose milestones are met',
        params: IdParams,
        response: {
          200: Type.Object({
            customerId: Id,
            releasedPercent: Nullable(Type.Integer()),
            changed: Type.Boolean(),
            onTimeInvoices: Type.Integer(),
            monthsClean: Type.Integer(),
          }),
          ...errorResponses,
        },
      },
    },
    (request) => reviewLimitRelease(services, actorOf(request), request.params.id),
  );

  app.get(
    '/v1/limit-requests',
    {
      schema: {
        tags: ['limits and exposure'],
        security,
        summary: 'Limit requests, newest first (the approvals inbox with status=pending)',
        querystring: Type.Object(
          {
            status: Type.Optional(
              Type.Union([Type.Literal('pending'), Type.Literal('approved'), Type.Literal('rejected')]),
            ),
            subjectId: Type.Optional(Id),
            ...PageQuery,
            sort: SortQuery(
              LIMIT_REQUEST_SORTS,
              'by when asked (the default: newest first, -createdAt) or amount; `-` first for descending',
            ),
          },
          { additionalProperties: false },
        ),
        response: { 200: PageOf(LimitRequest), ...errorResponses },
      },
    },
    (request) => listLimitRequests(db, request.query),
  );

  app.post(
    '/v1/limit-requests',
    {
      schema: {
        tags: ['limits and exposure'],
        security,
        summary:
          'Request a permanent or temporary limit (optionally released in tiers) for a customer or group',
        body: Type.Object(
          {
            subjectType: Type.Union([Type.Literal('customer'), Type.Literal('group')]),
            subjectId: Id,
            kind: Type.Union([Type.Literal('permanent'), Type.Literal('temporary')]),
            amountMinor: NonNegativeMinor,
            currency: Currency,
            startsOn: Type.Optional(BusinessDate),
            expiresOn: Type.Optional(BusinessDate),
            tiers: Type.Optional(Type.Array(Tier, { minItems: 1, maxItems: 10 })),
            reason: Type.String({ minLength: 1, maxLength: 1000 }),
          },
          { additionalProperties: false },
        ),
        response: { 201: LimitRequest, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await requestLimit(services, actorOf(request), request.body)),
  );

  for (const [path, approve] of [
    ['approve', true],
    ['reject', false],
  ] as const) {
    app.post(
      `/v1/limit-requests/:id/${path}`,
      {
        schema: {
          tags: ['limits and exposure'],
          security,
          summary: approve
            ? 'Approve a limit request (authority matrix; never by its requester; above the committee threshold only after every committee role signed off)'
            : 'Reject a limit request',
          params: IdParams,
          body: Decide,
          response: { 200: LimitRequest, ...errorResponses },
        },
      },
      (request) =>
        decideLimitRequest(services, approverOf(request), request.params.id, {
          approve,
          note: request.body.note,
        }),
    );
  }

  const Committee = Type.Object({
    required: Type.Boolean(),
    signOffs: Type.Array(
      Type.Object({
        role: Type.String(),
        actor: Type.String(),
        decision: Type.String(),
        note: Type.String(),
        signedAt: Timestamp,
      }),
    ),
    missing: Type.Array(Type.String(), { description: 'committee roles yet to sign off' }),
  });
  const CommitteeItem = Type.Object({ request: LimitRequest, committee: Committee });

  app.post(
    '/v1/limit-requests/:id/sign-offs',
    {
      schema: {
        tags: ['limits and exposure'],
        security,
        summary:
          'Credit committee sign-off on a limit request above the threshold: one per committee role; a rejection ends the request',
        params: IdParams,
        body: Type.Object(
          {
            decision: Type.Enum(['approve', 'reject']),
            note: Type.String({ minLength: 1, maxLength: 1000, description: 'the reasons' }),
          },
          { additionalProperties: false },
        ),
        response: { 201: CommitteeItem, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await signOffLimitRequest(services, approverOf(request), request.params.id, request.body)),
  );

  app.get(
    '/v1/committee/inbox',
    {
      schema: {
        tags: ['limits and exposure'],
        security,
        summary: "Limit requests waiting for the caller's committee role to sign off, oldest first",
        response: { 200: Type.Object({ items: Type.Array(CommitteeItem) }), ...errorResponses },
      },
    },
    async (request) => ({ items: await committeeInbox(services, request.principal?.role ?? '') }),
  );

  app.post(
    '/v1/limits/recommendation',
    {
      schema: {
        tags: ['limits and exposure'],
        security,
        summary: 'Recommended limit, explained line by line',
        body: Type.Object(
          {
            riskClass: RiskClass,
            expectedMonthlyPurchasesMinor: NonNegativeMinor,
            termsDays: Type.Integer({ minimum: 0, maximum: 365 }),
            netWorthMinor: Type.Optional(Nullable(Type.Integer())),
            workingCapitalMinor: Type.Optional(Nullable(Type.Integer())),
            insuredLimitMinor: Type.Optional(Nullable(NonNegativeMinor)),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            recommendedMinor: Minor,
            lines: Type.Array(
              Type.Object({ step: Type.String(), valueMinor: Minor, explanation: Type.String() }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => recommendLimit(request.body),
  );

  app.post(
    '/v1/fx-rates',
    {
      schema: {
        tags: ['limits and exposure'],
        security,
        summary: "Record a day's exchange rate: units of quote per unit of base",
        body: Type.Object(
          {
            base: Currency,
            quote: Currency,
            asOf: BusinessDate,
            rate: Type.Number({ exclusiveMinimum: 0, maximum: 1e9 }),
          },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({ base: Currency, quote: Currency, asOf: BusinessDate, rate: Type.Number() }),
          ...errorResponses,
        },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await recordFxRate(services, actorOf(request), request.body)),
  );

  app.get(
    '/v1/fx-rates',
    {
      schema: {
        tags: ['limits and exposure'],
        security,
        summary: 'Recorded exchange rates, newest first',
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({ base: Currency, quote: Currency, asOf: BusinessDate, rate: Type.Number() }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async () => ({
      items: (await db.selectFrom('fx_rates').selectAll().orderBy('as_of', 'desc').limit(500).execute()).map(
        (r) => ({
          base: r.base,
          quote: r.quote,
          asOf: r.as_of,
          rate: r.rate,
        }),
      ),
    }),
  );

  const policyTags = ['credit policy'];
  app.get(
    '/v1/credit-policies',
    {
      schema: {
        tags: policyTags,
        security,
        summary: 'Credit policy versions, newest first',
        response: { 200: Type.Object({ items: Type.Array(Policy) }), ...errorResponses },
      },
    },
    async () => ({ items: await listPolicies(db) }),
  );

  app.post(
    '/v1/credit-policies',
    {
      schema: {
        tags: policyTags,
        security,
        summary: 'Store a credit policy document as a new draft version',
        body: PolicyDocument,
        response: { 201: Policy, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await createPolicyDraft(services, actorOf(request), request.body as CreditPolicyDocument)),
  );

  app.get(
    '/v1/credit-policies/:version',
    {
      schema: {
        tags: policyTags,
        security,
        summary: 'One policy version (0 = the built-in default)',
        params: VersionParams,
        response: { 200: Policy, ...errorResponses },
      },
    },
    (request) => getPolicy(db, request.params.version),
  );

  app.post(
    '/v1/credit-policies/:version/activate',
    {
      schema: {
        tags: policyTags,
        security,
        summary:
          'Activate a draft (credit manager or admin; not its author); version 0 rolls back to the built-in default',
        params: VersionParams,
        response: { 200: Policy, ...errorResponses },
      },
    },
    (request) => activatePolicy(services, approverOf(request), request.params.version),
  );

  app.post(
    '/v1/credit-policies/:version/simulate',
    {
      schema: {
        tags: policyTags,
        security,
        summary: 'Replay recorded order decisions under this version: which would change, and by how much',
        params: VersionParams,
        body: Type.Object(
          { from: Type.Optional(BusinessDate), to: Type.Optional(BusinessDate) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            version: Type.Integer(),
            ordersReplayed: Type.Integer(),
            truncated: Type.Boolean(),
            ordersChanged: Type.Integer(),
            transitions: Type.Array(
              Type.Object({
                transition: Type.String(),
                count: Type.Integer(),
                valueMinorByCurrency: Type.Record(Type.String(), Minor),
              }),
            ),
            examples: Type.Array(
              Type.Object({
                orderId: Id,
                externalId: Type.String(),
                customerId: Id,
                orderedOn: BusinessDate,
                amountMinor: Minor,
                currency: Currency,
                recordedOutcome: Nullable(Type.String()),
                simulatedOutcome: Type.String(),
                reasons: Type.Array(Type.String()),
              }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    (request) => simulatePolicy(services, request.params.version, request.body),
  );
}
