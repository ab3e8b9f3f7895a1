import { type TSchema, Type } from 'typebox';
import { ROLES } from '../core/access/roles.js';
import { APPROVALS } from '../core/policy/authority.js';
import { RISK_CLASSES } from '../core/rating/risk-class.js';
import { BusinessDate, Currency, Id, Minor, Nullable, Order, Timestamp } from './schemas.js';

const RatingSource = Type.Enum(['manual', 'model', 'override'], {
  description:
    'where the grade and class come from: an analyst before any model, the model, or an approved override (A6)',
});

export const Outcome = Type.Union([
  Type.Literal('approve'),
  Type.Literal('approve_with_conditions'),
  Type.Literal('escalate'),
  Type.Literal('hold'),
  Type.Literal('decline'),
]);
export const RiskClass = Type.Union([
  Type.Literal('A'),
  Type.Literal('B'),
  Type.Literal('C'),
  Type.Literal('D'),
  Type.Literal('E'),
]);

/** Why a decision came out as it did: a stable code, the rule, the figures, a sentence. */
export const Reason = Type.Object({
  code: Type.String(),
  outcome: Outcome,
  rule: Type.String(),
  message: Type.String(),
  values: Type.Record(Type.String(), Type.Union([Type.Number(), Type.String(), Type.Boolean(), Type.Null()])),
});

/** What an approval with conditions asks for (prepayment, a lower amount on credit…). */
export const Condition = Type.Object({ code: Type.String(), amountMinor: Minor, message: Type.String() });

export const Decision = Type.Object({
  outcome: Outcome,
  creditMinor: Minor,
  termsDays: Type.Integer(),
  policyVersion: Type.Integer(),
  conditions: Type.Array(Condition),
  reasons: Type.Array(Reason),
});

export const OrderWithDecision = Type.Object({
  ...Order.properties,
  creditMinor: Nullable(Minor),
  decision: Nullable(Decision),
  policyVersion: Nullable(Type.Integer()),
  requestedBy: Nullable(Type.String()),
  decidedBy: Nullable(Type.String()),
  decidedAt: Nullable(Timestamp),
  slaDueAt: Nullable(Timestamp),
});

const LimitParts = Type.Object({
  approvedMinor: Minor,
  releasedMinor: Minor,
  releasedPercent: Type.Integer(),
  temporaryMinor: Minor,
  totalMinor: Minor,
});

const ExposureParts = Type.Object({
  openReceivablesMinor: Minor,
  openOrdersMinor: Minor,
  shippedNotInvoicedMinor: Minor,
  missingRates: Type.Array(Currency),
});

export const ExposureView = Type.Object({
  customerId: Id,
  asOf: BusinessDate,
  currency: Currency,
  limitMinor: Minor,
  exposureMinor: Minor,
  availableMinor: Minor,
  utilisation: Nullable(Type.Number()),
  limit: LimitParts,
  exposure: ExposureParts,
  overdueMinor: Minor,
  riskClass: RiskClass,
  ratingGrade: Nullable(Type.Integer()),
  ratingSource: RatingSource,
  blacklisted: Type.Boolean(),
  stopSupply: Type.Boolean(),
  security: Type.Object({
    insuredLimitMinor: Nullable(Minor),
    insuredCoveragePercent: Nullable(Type.Number()),
    insuredExposureMinor: Minor,
    uninsuredExposureMinor: Minor,
    guaranteeMinor: Nullable(Minor),
  }),
  group: Nullable(
    Type.Object({
      groupId: Id,
      currency: Currency,
      limitCurrency: Currency,
      limitMinor: Minor,
      exposureMinor: Minor,
      availableMinor: Minor,
    }),
  ),
});

export const Tier = Type.Object(
  {
    sharePercent: Type.Integer({ minimum: 1, maximum: 100 }),
    onTimeInvoices: Type.Integer({ minimum: 0, maximum: 10_000 }),
    monthsClean: Type.Integer({ minimum: 0, maximum: 120 }),
  },
  { additionalProperties: false },
);

export const LimitRequest = Type.Object({
  id: Id,
  subjectType: Type.String(),
  subjectId: Id,
  subjectName: Type.Optional(Type.String({ description: "the customer's or group's name (in lists)" })),
  requestedByName: Type.Optional(Type.String({ description: 'who asked, by name (in lists)' })),
  kind: Type.String(),
  amountMinor: Minor,
  currency: Currency,
  startsOn: BusinessDate,
  expiresOn: Nullable(BusinessDate),
  tiers: Nullable(Type.Array(Tier)),
  previousMinor: Minor,
  reason: Type.String(),
  status: Type.String(),
  requestedBy: Type.String(),
  decidedBy: Nullable(Type.String()),
  decidedAt: Nullable(Timestamp),
  decisionNote: Nullable(Type.String()),
  createdAt: Timestamp,
});

/** A screen's reason: a stable code, the outcome it pointed to and its figures. */
export const ScreenReason = Type.Object({
  code: Type.String(),
  outcome: Type.String(),
  values: Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Null()])),
});

export const CreditProfile = Type.Object({
  customerId: Id,
  riskClass: RiskClass,
  ratingGrade: Nullable(Type.Integer()),
  ratingSource: RatingSource,
  modelGrade: Nullable(Type.Integer({ description: "the late-payment model's grade at its last refresh" })),
  strategic: Type.Boolean(),
  blacklisted: Type.Boolean(),
  stopSupply: Type.Boolean(),
  insuredLimitMinor: Nullable(Minor),
  insuredCoveragePercent: Nullable(Type.Number()),
  guaranteeMinor: Nullable(Minor),
  lateInterestPercent: Nullable(Type.Number()),
  interestGraceDays: Nullable(Type.Integer()),
  tradingSince: Nullable(BusinessDate),
  firstContactScreen: Nullable(
    Type.Object(
      { outcome: Type.String(), reasons: Type.Array(ScreenReason) },
      { description: 'the screen at first contact; null for a customer from before screening' },
    ),
  ),
  updatedAt: Timestamp,
});

/** What the check does differently while an economic regime lasts. */
const RegimeOverride = Type.Object(
  {
    limitMultiplier: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 2 })),
    maxGrade: Type.Optional(Type.Integer({ minimum: 1, maximum: 10 })),
    outcome: Type.Optional(Outcome),
    maxTermsDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 365 })),
  },
  { additionalProperties: false },
);

/** The risk appetite (H3) of a credit policy. */
export const Appetite = Type.Object(
  {
    maxExpectedLossRate: Type.Number({ minimum: 0, maximum: 1 }),
    maxWorstClassesShare: Type.Number({ minimum: 0, maximum: 1 }),
    maxSingleNameShare: Type.Number({ minimum: 0, maximum: 1 }),
    maxGroupShare: Type.Number({ minimum: 0, maximum: 1 }),
    maxUninsuredShare: Type.Number({ minimum: 0, maximum: 1 }),
    targetDsoDays: Type.Number({ minimum: 0, maximum: 365 }),
  },
  {
    additionalProperties: false,
    description: 'the risk appetite (H3): shares of the whole exposure, DSO in days',
  },
);
const PlainBand = Type.Object(
  { max: Nullable(Type.Number()), outcome: Outcome },
  { additionalProperties: false },
);
const CreditBand = Type.Object(
  {
    max: Nullable(Type.Number()),
    outcome: Outcome,
    condition: Type.Optional(Type.Union([Type.Literal('prepay_excess'), Type.Literal('partial_release')])),
  },
  { additionalProperties: false },
);
const PerClass = <T extends TSchema>(item: T) =>
  Type.Object({ A: item, B: item, C: item, D: item, E: item }, { additionalProperties: false });

const AuthorityRule = Type.Object(
  {
    role: Type.String({ minLength: 1, maxLength: 50, description: 'one of the roles of the API keys' }),
    maxAmountMinor: Nullable(Type.Integer({ minimum: 0 })),
    riskClasses: Type.Array(Type.Enum([...RISK_CLASSES]), {
      minItems: 1,
      maxItems: 5,
    }),
    approvals: Type.Optional(
      Type.Array(Type.Enum([...APPROVALS]), {
        minItems: 1,
        maxItems: APPROVALS.length,
      }),
    ),
  },
  {
    additionalProperties: false,
    description: 'Up to maxAmountMinor in the base currency (CNY); null = no ceiling',
  },
);

/** The JSON schema of a credit policy document (C2); semantic checks follow in the core. */
export const PolicyDocument = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    blacklist: Type.Object({ outcome: Outcome }, { additionalProperties: false }),
    stopSupply: Type.Object({ outcome: Outcome }, { additionalProperties: false }),
    fxRateMissing: Type.Object({ outcome: Outcome }, { additionalProperties: false }),
    newCustomer: Type.Object(
      {
        maxAgeDays: Type.Integer({ minimum: 0 }),
        maxOrderMinor: Type.Integer({ minimum: 0 }),
        outcome: Outcome,
      },
      { additionalProperties: false },
    ),
    rating: Type.Object(
      {
        unratedOutcome: Outcome,
        unscreenedOutcome: Type.Optional(Outcome),
        bands: Type.Array(PlainBand, { minItems: 1, maxItems: 20 }),
      },
      { additionalProperties: false },
    ),
    overdue: Type.Object(
      {
        riskWeights: PerClass(Type.Number({ minimum: 0 })),
        bands: Type.Array(PlainBand, { minItems: 1, maxItems: 20 }),
      },
      { additionalProperties: false },
    ),
    appetite: Type.Optional(Appetite),
    reviews: Type.Optional(
      Type.Object(
        { cycleMonths: PerClass(Type.Integer({ minimum: 1, maximum: 60 })), overdueOutcome: Outcome },
        {
          additionalProperties: false,
          description:
            'periodic credit reviews: months between them by class, and what an order gets while one is past due',
        },
      ),
    ),
    collateral: Type.Optional(
      Type.Object(
        { creditShare: Type.Number({ minimum: 0, maximum: 1 }) },
        {
          additionalProperties: false,
          description:
            "the share of a customer's valid letters of credit and guarantees that adds to its limit",
        },
      ),
    ),
    cycle: Type.Optional(
      Type.Object(
        {
          contractionBelow: Type.Number(),
          expansionAbove: Type.Number(),
          pdScale: Type.Object(
            {
              expansion: Type.Number({ exclusiveMinimum: 0, maximum: 10 }),
              neutral: Type.Number({ exclusiveMinimum: 0, maximum: 10 }),
              contraction: Type.Number({ exclusiveMinimum: 0, maximum: 10 }),
            },
            { additionalProperties: false },
          ),
          overrides: Type.Optional(
            Type.Object(
              {
                expansion: Type.Optional(RegimeOverride),
                neutral: Type.Optional(RegimeOverride),
                contraction: Type.Optional(RegimeOverride),
              },
              { additionalProperties: false },
            ),
          ),
        },
        {
          additionalProperties: false,
          description:
            'the economic cycle: indicator thresholds of the regimes, the PD scale of each, and what the check does differently while one lasts',
        },
      ),
    ),
    insurance: Type.Optional(
      Type.Object(
        { maxUninsuredMinor: Type.Integer({ minimum: 0 }), outcome: Outcome },
        {
          additionalProperties: false,
          description: 'what an order gets when the uninsured exposure after it exceeds the cap',
        },
      ),
    ),
    warnings: Type.Optional(
      Type.Object(
        { high: Outcome, critical: Outcome },
        {
          additionalProperties: false,
          description: 'what a live early-warning alert does to an order, by severity',
        },
      ),
    ),
    availableCredit: Type.Object(
      { bands: Type.Array(CreditBand, { minItems: 1, maxItems: 20 }) },
      { additionalProperties: false },
    ),
    terms: PerClass(Type.Integer({ minimum: 0, maximum: 365 })),
    authority: Type.Optional(Type.Array(AuthorityRule, { minItems: 1, maxItems: 50 })),
    committee: Type.Optional(
      Nullable(
        Type.Object(
          {
            thresholdMinor: Type.Integer({ minimum: 0, description: 'base currency (CNY) minor units' }),
            roles: Type.Array(Type.String({ description: ROLES.join(' | ') }), {
              minItems: 1,
              maxItems: 7,
              uniqueItems: true,
            }),
          },
          { additionalProperties: false },
        ),
      ),
    ),
  },
  { additionalProperties: false },
);

export const Policy = Type.Object({
  version: Type.Integer(),
  name: Type.String(),
  status: Type.String(),
  document: PolicyDocument,
  createdBy: Type.String(),
  createdByName: Type.Optional(Type.String({ description: 'in lists: who wrote it, by name' })),
  createdAt: Timestamp,
  activatedBy: Nullable(Type.String()),
  activatedByName: Type.Optional(
    Nullable(Type.String({ description: 'in lists: who activated it, by name' })),
  ),
  activatedAt: Nullable(Timestamp),
});
