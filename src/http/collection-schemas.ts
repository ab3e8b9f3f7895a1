import { Type } from 'typebox';
import { DISPUTE_REASONS, DISPUTE_RESOLUTIONS } from '../core/collections/dispute.js';
import { DUNNING_ACTIONS } from '../core/collections/dunning-strategy.js';
import { NOTICE_LANGUAGES } from '../core/collections/notices.js';
import { RISK_CLASSES } from '../core/rating/risk-class.js';
import { BusinessDate, Currency, Id, Minor, Nullable, PositiveMinor, Timestamp } from './schemas.js';

export const Contact = Type.Object({
  id: Id,
  customerId: Id,
  name: Type.String(),
  email: Nullable(Type.String()),
  phone: Nullable(Type.String()),
  language: Type.String(),
  createdAt: Timestamp,
});
export const ContactBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    email: Type.Optional(Type.String({ maxLength: 254 })),
    phone: Type.Optional(Type.String({ maxLength: 50 })),
    language: Type.Optional(Type.Enum([...NOTICE_LANGUAGES])),
  },
  { additionalProperties: false },
);

export const Dispute = Type.Object({
  id: Id,
  invoiceId: Id,
  customerId: Id,
  customerName: Type.Optional(Type.String({ description: 'in lists' })),
  amountMinor: Minor,
  currency: Currency,
  reason: Type.String(),
  note: Type.String(),
  owner: Type.String(),
  dueOn: BusinessDate,
  openedOn: BusinessDate,
  openedBy: Type.String(),
  status: Type.String(),
  resolution: Nullable(Type.String()),
  resolutionNote: Nullable(Type.String()),
  resolvedOn: Nullable(BusinessDate),
  resolvedBy: Nullable(Type.String()),
  ageDays: Type.Integer(),
});
export const DisputeBody = Type.Object(
  {
    amountMinor: PositiveMinor,
    reason: Type.Enum([...DISPUTE_REASONS]),
    note: Type.String({ minLength: 1, maxLength: 2000 }),
    owner: Type.String({ minLength: 1, maxLength: 100 }),
    dueOn: BusinessDate,
  },
  { additionalProperties: false },
);
export const ResolveBody = Type.Object(
  { resolution: Type.Enum([...DISPUTE_RESOLUTIONS]), note: Type.String({ minLength: 1, maxLength: 2000 }) },
  { additionalProperties: false },
);

export const PaymentPromise = Type.Object({
  id: Id,
  customerId: Id,
  amountMinor: Minor,
  currency: Currency,
  promisedOn: BusinessDate,
  promisedBy: Type.String(),
  recordedOn: BusinessDate,
  recordedBy: Type.String(),
  status: Type.String(),
  paidMinor: Minor,
  settledOn: Nullable(BusinessDate),
});
export const PromiseBody = Type.Object(
  {
    amountMinor: PositiveMinor,
    currency: Currency,
    promisedOn: BusinessDate,
    promisedBy: Type.String({ minLength: 1, maxLength: 200 }),
  },
  { additionalProperties: false },
);

const Step = Type.Object(
  {
    id: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,49}$' }),
    daysPastDue: Type.Integer({ minimum: -60, maximum: 3650 }),
    action: Type.Enum([...DUNNING_ACTIONS]),
    riskClasses: Type.Optional(Type.Array(Type.Enum([...RISK_CLASSES]), { minItems: 1, maxItems: 5 })),
    minOpenMinor: Type.Optional(Type.Integer({ minimum: 0 })),
  },
  { additionalProperties: false },
);
export const Strategy = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    promiseGraceDays: Type.Integer({ minimum: 0, maximum: 90 }),
    steps: Type.Array(Step, { minItems: 1, maxItems: 50 }),
  },
  { additionalProperties: false },
);
export const StrategyVersion = Type.Object({
  version: Type.Integer(),
  strategy: Strategy,
  createdBy: Type.String(),
  createdAt: Nullable(Timestamp),
});

export const DunningRunSummary = Type.Object({
  runOn: BusinessDate,
  strategyVersion: Type.Integer(),
  invoicesConsidered: Type.Integer(),
  stepsTaken: Type.Integer(),
  stepsSuperseded: Type.Integer(),
  pausedByDispute: Type.Integer(),
  pausedByPromise: Type.Integer(),
  pausedByPlan: Type.Integer(),
  pausedByHold: Type.Integer({ description: 'items of customers whose dunning is paused or with an agency' }),
  plansBroken: Type.Integer(),
  plansCompleted: Type.Integer(),
  emailsSent: Type.Integer(),
  emailsWithoutRecipient: Type.Integer(),
  emailsFailed: Type.Array(Type.Object({ customerId: Id, error: Type.String() })),
  letters: Type.Integer(),
  tasksCreated: Type.Integer(),
  stopSupplySet: Type.Integer(),
  promisesKept: Type.Integer(),
  promisesBroken: Type.Integer(),
});

export const DunningLetter = Type.Object({
  id: Id,
  customerId: Id,
  runOn: BusinessDate,
  channel: Type.String(),
  language: Type.String(),
  recipient: Nullable(Type.String()),
  subject: Type.String(),
  body: Type.String(),
  messageId: Nullable(Type.String()),
  createdAt: Timestamp,
});

export const Worklist = Type.Object({
  asOf: BusinessDate,
  currency: Currency,
  items: Type.Array(
    Type.Object({
      customerId: Id,
      customerName: Type.String(),
      salesOwner: Nullable(Type.String()),
      collector: Nullable(Type.String({ description: 'the username of who works the account' })),
      overdueMinor: Minor,
      oldestDaysPastDue: Type.Integer(),
      expectedValueMinor: Minor,
      latePaymentPd: Nullable(Type.Number({ description: 'from the late-payment model, when scored' })),
      tasks: Type.Array(
        Type.Object({ id: Id, kind: Type.String(), dueOn: BusinessDate, reason: Type.String() }),
      ),
      hold: Nullable(
        Type.Object(
          { id: Id, kind: Type.String(), until: Nullable(BusinessDate), agency: Nullable(Type.String()) },
          { description: 'dunning paused to a date, or handed to an agency (no letters meanwhile)' },
        ),
      ),
      contacts: Type.Array(Contact),
      openPromises: Type.Array(PaymentPromise),
      recentNotices: Type.Array(
        Type.Object({
          runOn: BusinessDate,
          channel: Type.String(),
          subject: Type.String(),
          sent: Type.Boolean(),
        }),
      ),
    }),
  ),
  nextCursor: Nullable(Type.String({ description: 'the next page: pass it as cursor' })),
});

export const TaskDone = Type.Object({
  id: Id,
  customerId: Id,
  kind: Type.String(),
  status: Type.String(),
  doneBy: Type.String(),
  doneNote: Type.String(),
  outcome: Nullable(Type.String({ description: 'what came of it (reached, promised_to_pay, no_answer…)' })),
});
