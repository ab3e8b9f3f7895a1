import { Type } from 'typebox';
import { listAlerts, moveAlert } from '../../app/monitoring/alerts.js';
import {
  activateWarningRules,
  createWarningRuleDraft,
  listWarningRuleSets,
} from '../../app/monitoring/warning-rule-sets.js';
import type { Services } from '../../app/services.js';
import { ROLES } from '../../core/access/roles.js';
import { ALERT_STATES, type AlertMove } from '../../core/monitoring/alert-state.js';
import { RULE_KINDS } from '../../core/monitoring/rule-kinds.js';
import { ACTIONS, SEVERITIES } from '../../core/monitoring/warning-rules.js';
import { runOffLoop } from '../../jobs/off-loop.js';
import { actorOf, approverOf } from '../auth.js';
import { BusinessDate, errorResponses, Id, IdParams, Nullable, Timestamp } from '../schemas.js';
import { type Api, security } from './types.js';

const tags = ['early warning'];

const Alert = Type.Object({
  id: Id,
  customerId: Id,
  customerName: Type.String(),
  ruleId: Type.String(),
  ruleVersion: Type.Integer(),
  severity: Type.Enum([...SEVERITIES]),
  ownerRole: Type.String(),
  suggestedAction: Type.String(),
  facts: Type.Record(Type.String(), Type.Number(), {
    description: 'what made the rule fire; *Minor amounts in currency',
  }),
  currency: Type.String(),
  raisedOn: BusinessDate,
  dueOn: BusinessDate,
  state: Type.Enum([...ALERT_STATES]),
  stateReason: Nullable(Type.String()),
  endedOn: Nullable(BusinessDate),
  updatedBy: Type.String(),
  updatedAt: Timestamp,
});

const Rule = Type.Object(
  {
    id: Type.String({ pattern: '^[a-z][a-z0-9_]{0,59}$' }),
    kind: Type.Enum(Object.keys(RULE_KINDS) as (keyof typeof RULE_KINDS)[]),
    params: Type.Optional(Type.Record(Type.String(), Type.Number())),
    severity: Type.Enum([...SEVERITIES]),
    ownerRole: Type.Optional(Type.Enum([...ROLES])),
    slaDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 365 })),
    action: Type.Optional(Type.Enum([...ACTIONS])),
  },
  { additionalProperties: false },
);
const RuleSet = Type.Object({
  version: Type.Integer(),
  status: Type.String(),
  rules: Type.Array(Rule),
  createdBy: Type.String(),
  createdAt: Timestamp,
  activatedBy: Nullable(Type.String()),
  activatedAt: Nullable(Timestamp),
});

const LeadDays = Type.Object({
  p25: Nullable(Type.Number()),
  median: Nullable(Type.Number()),
  p75: Nullable(Type.Number()),
});
const Figures = {
  customers: Type.Integer(),
  defaulters: Type.Integer(),
  defaultersWarned: Type.Integer(),
  leadDays: LeadDays,
  warnedCustomers: Type.Integer(),
  warnedNotDefaulted: Type.Integer(),
};
const Backtest = Type.Object({
  from: BusinessDate,
  to: BusinessDate,
  ...Figures,
  rules: Type.Array(
    Type.Object({ ruleId: Type.String(), severity: Type.String(), alerts: Type.Integer(), ...Figures }),
  ),
  unconvertedCurrencies: Type.Array(Type.String()),
});

/** Early warning (D1, D2): the alert inbox, the monitoring run and the warning rules as data. */
export function alertRoutes(app: Api, services: Services): void {
  app.get(
    '/v1/alerts',
    {
      schema: {
        tags,
        security,
        summary: 'The alert inbox, newest first, filtered and paged (after = the last id of the page before)',
        querystring: Type.Object(
          {
            state: Type.Optional(Type.Enum([...ALERT_STATES])),
            severity: Type.Optional(Type.Enum([...SEVERITIES])),
            customerId: Type.Optional(Id),
            ruleId: Type.Optional(Type.String({ maxLength: 60 })),
            ownerRole: Type.Optional(Type.Enum([...ROLES])),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
            after: Type.Optional(Id),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ items: Type.Array(Alert), nextAfter: Nullable(Id) }),
          ...errorResponses,
        },
      },
    },
    (request) => listAlerts(services, request.query),
  );

  app.get(
    '/v1/alerts/backtest',
    {
      schema: {
        tags,
        security,
        summary:
          'The lead-time back-test: the warning rules in force (or the version asked for: a draft before it is activated) replayed day by day over a window against the customers who defaulted (off the event loop)',
        querystring: Type.Object(
          {
            from: BusinessDate,
            to: BusinessDate,
            version: Type.Optional(Type.Integer({ minimum: 0, maximum: 2_147_483_647 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Backtest, ...errorResponses },
      },
    },
    (request) => runOffLoop(services, 'backtest', request.query),
  );

  app.post(
    '/v1/alerts/run',
    {
      schema: {
        tags,
        security,
        summary: 'Run the warning rules for every customer now (what the daily job does), off the event loop',
        body: Type.Object({ asOf: Type.Optional(BusinessDate) }, { additionalProperties: false }),
        response: {
          200: Type.Object({
            asOf: BusinessDate,
            rulesVersion: Type.Integer(),
            customers: Type.Integer(),
            raised: Type.Integer(),
            ended: Type.Integer(),
            cleared: Type.Integer(),
            raisedBySeverity: Type.Record(Type.String(), Type.Integer()),
          }),
          ...errorResponses,
        },
      },
    },
    (request) =>
      runOffLoop(services, 'monitoringRun', {
        actor: actorOf(request),
        ...(request.body.asOf ? { asOf: request.body.asOf } : {}),
      }),
  );

  for (const move of ['acknowledge', 'action', 'dismiss'] as const satisfies readonly AlertMove[])
    app.post(
      `/v1/alerts/:id/${move}`,
      {
        schema: {
          tags,
          security,
          summary:
            move === 'acknowledge'
              ? 'Acknowledge an open alert: someone owns it now'
              : move === 'action'
                ? 'Close an alert with what was done (reason)'
                : 'Dismiss an alert with why it is no risk (reason)',
          params: IdParams,
          body: Type.Object(
            { reason: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })) },
            { additionalProperties: false },
          ),
          response: { 200: Alert, ...errorResponses },
        },
      },
      (request) =>
        moveAlert(services, actorOf(request), request.params.id, move, request.body.reason ?? null),
    );

  app.get(
    '/v1/warning-rules',
    {
      schema: {
        tags,
        security,
        summary: 'The warning rule sets: the version in force, the built-in one and every version kept',
        response: {
          200: Type.Object({
            activeVersion: Type.Integer(),
            builtIn: Type.Object({ version: Type.Integer(), status: Type.String(), rules: Type.Array(Rule) }),
            versions: Type.Array(
              Type.Object({
                ...RuleSet.properties,
                createdByName: Type.String({ description: 'who drafted it, by name' }),
                activatedByName: Nullable(Type.String({ description: 'who activated it, by name' })),
              }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    () => listWarningRuleSets(services.store.db),
  );

  app.post(
    '/v1/warning-rules',
    {
      schema: {
        tags,
        security,
        summary: 'Draft a new version of the warning rules (activated by someone else)',
        body: Type.Object(
          { rules: Type.Array(Rule, { minItems: 1, maxItems: 100 }) },
          { additionalProperties: false },
        ),
        response: { 201: RuleSet, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createWarningRuleDraft(services, actorOf(request), request.body)),
  );

  app.post(
    '/v1/warning-rules/:version/activate',
    {
      schema: {
        tags,
        security,
        summary: 'Activate a draft of the warning rules (credit manager or admin; not its author)',
        params: Type.Object({ version: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }) }),
        response: { 200: RuleSet, ...errorResponses },
      },
    },
    (request) => activateWarningRules(services, approverOf(request), request.params.version),
  );
}
