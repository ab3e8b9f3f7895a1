import { Type } from 'typebox';
import { INVOICE_LEDGER_COLUMNS, invoiceLedger, LEDGER_PAGE } from '../../app/exports/invoice-ledger.js';
import { writeTable } from '../../app/exports/stream-table.js';
import { createInvoices } from '../../app/receivables/create-invoices.js';
import { issueCreditNote } from '../../app/receivables/issue-credit-note.js';
import { bookAging, monthlyDso } from '../../app/receivables/receivables-report.js';
import { recordPayments } from '../../app/receivables/record-payments.js';
import type { Services } from '../../app/services.js';
import type { BusinessDate as BusinessDateValue } from '../../core/time/business-date.js';
import { exportThreadFree, invoiceLedgerOnThread } from '../../jobs/export-thread.js';
import { bookHolds, OFF_LOOP_MIN_INVOICES } from '../../jobs/off-loop.js';
import {
  getInvoice,
  getPayment,
  listCreditNotes,
  listInvoices,
  listPayments,
} from '../../store/queries/ledger.js';
import { actorOf } from '../auth.js';
import { sendTableStream, TableBody } from '../list-export.js';
import {
  Allocation,
  BusinessDate,
  CreditNote,
  Currency,
  ExternalId,
  errorResponses,
  Id,
  IdParams,
  Invoice,
  Minor,
  Nullable,
  PageOf,
  PageQuery,
  Payment,
  PositiveMinor,
} from '../schemas.js';
import { lateInterestRoutes } from './late-interest.js';
import { type Api, security, single } from './types.js';
import { writeOffRoutes } from './write-offs.js';

const Reason = Type.String({ minLength: 1, maxLength: 500 });
const SettlementBody = Type.Object(
  {
    invoiceId: Id,
    externalId: ExternalId,
    issuedOn: BusinessDate,
    amountMinor: PositiveMinor,
    reason: Reason,
  },
  { additionalProperties: false },
);

export function receivableRoutes(app: Api, services: Services): void {
  const { db } = services.store;
  writeOffRoutes(app, services);
  lateInterestRoutes(app, services);

  app.get(
    '/v1/invoices',
    {
      schema: {
        tags: ['invoices'],
        security,
        summary: 'List invoices',
        querystring: Type.Object(
          {
            ...PageQuery,
            customerId: Type.Optional(Id),
            status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('settled')])),
          },
          { additionalProperties: false },
        ),
        response: { 200: PageOf(Invoice), ...errorResponses },
      },
    },
    (request) => listInvoices(db, request.query),
  );

  app.get(
    '/v1/invoices/export',
    {
      schema: {
        tags: ['invoices'],
        security,
        summary: 'The whole invoice ledger as CSV or XLSX, streamed (`format=csv|xlsx` or Accept)',
        querystring: Type.Object(
          {
            customerId: Type.Optional(Id),
            status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('settled')])),
          },
          { additionalProperties: false },
        ),
        response: { 200: TableBody, ...errorResponses },
      },
    },
    async (request, reply) => {
      // A large book is written on a thread of its own, so orders keep being answered meanwhile.
      // The slot is taken as the export starts, with no await between the check and the start.
      const onThread = (await bookHolds(services, OFF_LOOP_MIN_INVOICES)) && exportThreadFree();
      return sendTableStream(request, reply, 'invoices', (format, body) =>
        onThread
          ? invoiceLedgerOnThread(services, format, request.query, body)
          : writeTable(
              format,
              INVOICE_LEDGER_COLUMNS,
              invoiceLedger(db, request.query, LEDGER_PAGE.server),
              body,
            ),
      );
    },
  );

  app.post(
    '/v1/invoices',
    {
      schema: {
        tags: ['invoices'],
        security,
        summary: 'Record an invoice (open for its full amount)',
        body: Type.Object(
          {
            customerId: Id,
            externalId: ExternalId,
            invoiceNumber: Type.String({ minLength: 1, maxLength: 100 }),
            issueDate: BusinessDate,
            dueDate: BusinessDate,
            amountMinor: PositiveMinor,
            currency: Currency,
            orderId: Type.Optional(Id),
          },
          { additionalProperties: false },
        ),
        response: { 201: Invoice, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await single(createInvoices(services, actorOf(request), [request.body]))),
  );

  app.get(
    '/v1/invoices/:id',
    {
      schema: {
        tags: ['invoices'],
        security,
        summary: 'Get an invoice with the payments and credit notes that settled it',
        params: IdParams,
        response: {
          200: Type.Object({
            ...Invoice.properties,
            allocations: Type.Array(Allocation),
            creditNotes: Type.Array(CreditNote),
          }),
          ...errorResponses,
        },
      },
    },
    (request) => getInvoice(db, request.params.id),
  );

  app.get(
    '/v1/payments',
    {
      schema: {
        tags: ['payments'],
        security,
        summary: 'List payments',
        querystring: Type.Object(
          { ...PageQuery, customerId: Type.Optional(Id) },
          { additionalProperties: false },
        ),
        response: { 200: PageOf(Payment), ...errorResponses },
      },
    },
    (request) => listPayments(db, request.query),
  );

  app.post(
    '/v1/payments',
    {
      schema: {
        tags: ['payments'],
        security,
        summary: 'Record a payment; applied to the named invoice, or oldest-first; the rest stays on account',
        body: Type.Object(
          {
            customerId: Id,
            externalId: ExternalId,
            paidOn: BusinessDate,
            amountMinor: PositiveMinor,
            currency: Currency,
            invoiceId: Type.Optional(Id),
          },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({ ...Payment.properties, allocations: Type.Array(Allocation) }),
          ...errorResponses,
        },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await single(recordPayments(services, actorOf(request), [request.body]))),
  );

  app.get(
    '/v1/payments/:id',
    {
      schema: {
        tags: ['payments'],
        security,
        summary: 'Get a payment with its allocations',
        params: IdParams,
        response: {
          200: Type.Object({ ...Payment.properties, allocations: Type.Array(Allocation) }),
          ...errorResponses,
        },
      },
    },
    (request) => getPayment(db, request.params.id),
  );

  app.get(
    '/v1/credit-notes',
    {
      schema: {
        tags: ['credit notes'],
        security,
        summary: 'List credit notes and write-offs',
        querystring: Type.Object(
          {
            ...PageQuery,
            customerId: Type.Optional(Id),
            invoiceId: Type.Optional(Id),
            kind: Type.Optional(Type.Union([Type.Literal('credit_note'), Type.Literal('write_off')])),
          },
          { additionalProperties: false },
        ),
        response: { 200: PageOf(CreditNote), ...errorResponses },
      },
    },
    (request) => listCreditNotes(db, request.query),
  );

  app.post(
    '/v1/credit-notes',
    {
      schema: {
        tags: ['credit notes'],
        security,
        summary: 'Issue a credit note against an invoice (at most its open amount)',
        body: SettlementBody,
        response: { 201: CreditNote, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await issueCreditNote(services, actorOf(request), { ...request.body, kind: 'credit_note' })),
  );

  const Buckets = Type.Object({
    currentMinor: Minor,
    d1to30Minor: Minor,
    d31to60Minor: Minor,
    d61to90Minor: Minor,
    over90Minor: Minor,
  });
  app.get(
    '/v1/receivables/aging',
    {
      schema: {
        tags: ['receivables'],
        security,
        summary:
          'Aging of the whole book as it stood at the end of asOf (from the ledger). With currency: that currency’s invoices; without: all, converted to CNY at that day’s rates. With by: also per customer, group or sales owner',
        querystring: Type.Object(
          {
            asOf: BusinessDate,
            currency: Type.Optional(Currency),
            by: Type.Optional(
              Type.Union([Type.Literal('customer'), Type.Literal('group'), Type.Literal('salesOwner')]),
            ),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            asOf: BusinessDate,
            currency: Currency,
            buckets: Buckets,
            totalOpenMinor: Minor,
            disputedMinor: Type.Integer({ description: 'the part of the open total in open dispute' }),
            missingRates: Type.Array(Currency),
            by: Type.Optional(Type.String()),
            breakdown: Type.Optional(
              Type.Array(
                Type.Object({ key: Nullable(Type.String()), buckets: Buckets, totalOpenMinor: Minor }),
              ),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    (request) =>
      bookAging(db, request.query.asOf as BusinessDateValue, request.query.currency, request.query.by),
  );

  const Month = Type.String({
    pattern: '^\\d{4}-(0[1-9]|1[0-2])(-\\d{2})?$',
    description: 'YYYY-MM, or a date YYYY-MM-DD standing for its month',
  });
  app.get(
    '/v1/receivables/dso',
    {
      schema: {
        tags: ['receivables'],
        security,
        summary: 'DSO per month, simple or countback (FORMULAS.md): one currency, or the whole book in CNY',
        querystring: Type.Object(
          {
            from: Month,
            to: Month,
            method: Type.Union([Type.Literal('simple'), Type.Literal('countback')], { default: 'simple' }),
            currency: Type.Optional(Currency),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            method: Type.String(),
            currency: Currency,
            months: Type.Array(
              Type.Object({
                month: Type.String(),
                dso: Nullable(Type.Number()),
                receivablesMinor: Minor,
                creditSalesMinor: Minor,
                currentMinor: Minor,
                bestPossibleDso: Nullable(Type.Number()),
                averageDaysDelinquent: Nullable(Type.Number()),
                cei: Nullable(Type.Number({ description: 'collection effectiveness index, percent' })),
                writtenOffMinor: Minor,
                badDebtRatio: Nullable(Type.Number()),
              }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    (request) => monthlyDso(db, request.query),
  );
}
