import { Type } from 'typebox';
import { collectorOf } from '../../app/auth/users.js';
import { addContact, listContacts } from '../../app/collections/contacts.js';
import { DISPUTE_SORTS, listDisputes, openDispute, resolveDispute } from '../../app/collections/disputes.js';
import { holdDunning, liftDunningHold, listHolds } from '../../app/collections/dunning-holds.js';
import { listLetters, runDunning } from '../../app/collections/dunning-run.js';
import type { Mailer } from '../../app/collections/mailer.js';
import { listPromises, PROMISE_SORTS, recordPromise } from '../../app/collections/promises.js';
import { currentStrategy, saveStrategy } from '../../app/collections/strategy.js';
import { completeTask, WORKLIST_SORTS, worklist } from '../../app/collections/worklist.js';
import { dunningLetterPdf } from '../../app/reports/dunning-letter-pdf.js';
import type { Services } from '../../app/services.js';
import { HOLD_KINDS } from '../../core/collections/dunning-hold.js';
import { TASK_OUTCOMES } from '../../core/collections/task-outcome.js';
import type { BusinessDate as BusinessDateValue } from '../../core/time/business-date.js';
import { actorOf, approverOf } from '../auth.js';
import {
  Contact,
  ContactBody,
  Dispute,
  DisputeBody,
  DunningLetter,
  DunningRunSummary,
  PaymentPromise,
  PromiseBody,
  ResolveBody,
  Strategy,
  StrategyVersion,
  TaskDone,
  Worklist,
} from '../collection-schemas.js';
import { PdfBody, sendPdf } from '../pdf-reply.js';
import {
  BusinessDate,
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

const DunningHold = Type.Object({
  id: Id,
  customerId: Id,
  kind: Type.Enum([...HOLD_KINDS]),
  agency: Nullable(Type.String()),
  until: Nullable(BusinessDate),
  reason: Type.String(),
  createdBy: Type.String(),
  createdAt: Timestamp,
  liftedBy: Nullable(Type.String()),
  liftedAt: Nullable(Timestamp),
  active: Type.Boolean(),
});

const tags = ['collections'];
const Items = <T extends Parameters<typeof Type.Array>[0]>(item: T) =>
  Type.Object({ items: Type.Array(item) });
const StatusFilter = (statuses: string[], sorts: readonly string[], sortDescription: string) =>
  Type.Object(
    {
      ...PageQuery,
      status: Type.Optional(Type.Enum(statuses)),
      customerId: Type.Optional(Id),
      sort: SortQuery(sorts, sortDescription),
    },
    { additionalProperties: false },
  );

export function collectionRoutes(app: Api, services: Services, mailer: Mailer | null): void {
  const { db } = services.store;

  app.post(
    '/v1/customers/:id/contacts',
    {
      schema: {
        tags,
        security,
        summary: 'Add a contact whom dunning writes to, in their language',
        params: IdParams,
        body: ContactBody,
        response: { 201: Contact, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await addContact(services, actorOf(request), request.params.id, request.body)),
  );
  app.get(
    '/v1/customers/:id/contacts',
    {
      schema: {
        tags,
        security,
        summary: "A customer's contacts",
        params: IdParams,
        response: { 200: Items(Contact), ...errorResponses },
      },
    },
    async (request) => ({ items: await listContacts(db, request.params.id) }),
  );

  app.post(
    '/v1/invoices/:id/disputes',
    {
      schema: {
        tags,
        security,
        summary: 'Open a dispute on (part of) an invoice: dunning pauses for it, aging shows it apart',
        params: IdParams,
        body: DisputeBody,
        response: { 201: Dispute, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await openDispute(services, actorOf(request), request.params.id, request.body)),
  );
  app.get(
    '/v1/disputes',
    {
      schema: {
        tags,
        security,
        summary: 'Disputes with their age and reason',
        querystring: StatusFilter(
          ['open', 'resolved'],
          DISPUTE_SORTS,
          'by when opened (the default, oldest first), amount or answer date; `-` first for descending',
        ),
        response: { 200: PageOf(Dispute), ...errorResponses },
      },
    },
    (request) => listDisputes(db, services.clock.today(), request.query),
  );
  app.post(
    '/v1/disputes/:id/resolve',
    {
      schema: {
        tags,
        security,
        summary: 'Resolve a dispute: by credit note, by write-off, or as valid (dunning resumes)',
        params: IdParams,
        body: ResolveBody,
        response: { 200: Type.Object({ ...Dispute.properties, settledMinor: Minor }), ...errorResponses },
      },
    },
    async (request) => resolveDispute(services, approverOf(request), request.params.id, request.body),
  );

  app.post(
    '/v1/customers/:id/promises',
    {
      schema: {
        tags,
        security,
        summary: 'Record a promise to pay; dunning waits while it is open',
        params: IdParams,
        body: PromiseBody,
        response: { 201: PaymentPromise, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await recordPromise(services, actorOf(request), request.params.id, request.body)),
  );
  app.get(
    '/v1/promises',
    {
      schema: {
        tags,
        security,
        summary: 'Promises to pay: open, kept or broken',
        querystring: StatusFilter(
          ['open', 'kept', 'broken'],
          PROMISE_SORTS,
          'by the promised date (the default, soonest first) or amount; `-` first for descending',
        ),
        response: { 200: PageOf(PaymentPromise), ...errorResponses },
      },
    },
    (request) => listPromises(db, request.query),
  );

  app.get(
    '/v1/dunning/strategy',
    {
      schema: {
        tags,
        security,
        summary: 'The dunning strategy in force',
        response: { 200: StrategyVersion, ...errorResponses },
      },
    },
    async () => currentStrategy(db),
  );
  app.put(
    '/v1/dunning/strategy',
    {
      schema: {
        tags,
        security,
        summary: 'Save a new version of the dunning strategy (steps by days past due × risk class × amount)',
        body: Strategy,
        response: { 200: StrategyVersion, ...errorResponses },
      },
    },
    async (request) => saveStrategy(services, actorOf(request), request.body),
  );
  app.post(
    '/v1/dunning/runs',
    {
      schema: {
        tags,
        security,
        summary: 'Run dunning for a day (default today); running it twice sends nothing twice',
        body: Type.Object({ runOn: Type.Optional(BusinessDate) }, { additionalProperties: false }),
        response: { 200: DunningRunSummary, ...errorResponses },
      },
    },
    async (request) =>
      runDunning(
        services,
        actorOf(request),
        mailer,
        (request.body.runOn as BusinessDateValue | undefined) ?? services.clock.today(),
      ),
  );
  app.get(
    '/v1/dunning/letters',
    {
      schema: {
        tags,
        security,
        summary: 'The e-mails and letters dunning wrote, as written',
        querystring: Type.Object(
          { customerId: Type.Optional(Id), runOn: Type.Optional(BusinessDate) },
          { additionalProperties: false },
        ),
        response: { 200: Items(DunningLetter), ...errorResponses },
      },
    },
    async (request) => ({ items: await listLetters(db, request.query) }),
  );
  app.get(
    '/v1/dunning/letters/:id/pdf',
    {
      schema: {
        tags,
        security,
        summary: 'A dunning letter or e-mail as written, set as a printable PDF',
        params: IdParams,
        response: {
          200: PdfBody,
          ...errorResponses,
        },
      },
    },
    async (request, reply) => sendPdf(reply, await dunningLetterPdf(db, request.params.id)),
  );

  app.get(
    '/v1/collections/worklist',
    {
      schema: {
        tags,
        security,
        summary: "The collectors' day: open tasks per customer, by expected value recovered",
        querystring: Type.Object(
          {
            collector: Type.Optional(
              Type.String({
                minLength: 1,
                maxLength: 100,
                description: 'a username, `me` (whoever asks) or `none` (accounts nobody works)',
              }),
            ),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 200 })),
            cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
            sort: SortQuery(
              WORKLIST_SORTS,
              'by expected value recovered (the default: most first, -expectedValue), overdue amount, days past due of the oldest item or name; `-` first for descending',
            ),
          },
          { additionalProperties: false },
        ),
        response: { 200: Worklist, ...errorResponses },
      },
    },
    async (request) => {
      const { collector, ...page } = request.query;
      return worklist(db, services.clock.today(), {
        ...page,
        ...(collector === undefined
          ? {}
          : { collector: await collectorOf(db, request.principal, collector) }),
      });
    },
  );
  app.post(
    '/v1/customers/:id/dunning-holds',
    {
      schema: {
        tags,
        security,
        summary:
          "Hold a customer's dunning: paused to a date (at most 90 days out) or handed to a collection agency until lifted",
        params: IdParams,
        body: Type.Object(
          {
            kind: Type.Enum([...HOLD_KINDS]),
            until: Type.Optional(BusinessDate),
            agency: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
            reason: Type.String({ minLength: 1, maxLength: 500 }),
          },
          { additionalProperties: false },
        ),
        response: { 201: DunningHold, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await holdDunning(services, actorOf(request), request.params.id, request.body)),
  );
  app.get(
    '/v1/dunning-holds',
    {
      schema: {
        tags,
        security,
        summary: 'Dunning holds, newest first: a customer’s, or those in force (active=true)',
        querystring: Type.Object(
          { customerId: Type.Optional(Id), active: Type.Optional(Type.Boolean()) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(DunningHold) }), ...errorResponses },
      },
    },
    async (request) => ({ items: await listHolds(db, services.clock.today(), request.query) }),
  );
  app.post(
    '/v1/dunning-holds/:id/lift',
    {
      schema: {
        tags,
        security,
        summary: 'Lift a dunning hold: the next run picks the customer up',
        params: IdParams,
        response: { 200: DunningHold, ...errorResponses },
      },
    },
    async (request) => liftDunningHold(services, actorOf(request), request.params.id),
  );
  app.post(
    '/v1/collection-tasks/:id/done',
    {
      schema: {
        tags,
        security,
        summary: 'Mark a collection task done, with what came of it and what happened',
        params: IdParams,
        body: Type.Object(
          {
            note: Type.String({ minLength: 1, maxLength: 2000 }),
            outcome: Type.Optional(Type.Enum([...TASK_OUTCOMES])),
          },
          { additionalProperties: false },
        ),
        response: { 200: TaskDone, ...errorResponses },
      },
    },
    async (request) => completeTask(services, actorOf(request), request.params.id, request.body),
  );
}
