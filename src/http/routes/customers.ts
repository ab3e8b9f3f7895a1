import { Type } from 'typebox';
import { collectorOf } from '../../app/auth/users.js';
import { createCustomerGroup } from '../../app/customers/create-customer-group.js';
import { createCustomers } from '../../app/customers/create-customers.js';
import { updateCustomer } from '../../app/customers/update-customer.js';
import { customersAtUtilisation } from '../../app/portfolio/utilisation-filter.js';
import { customerCreditReport } from '../../app/reports/customer-credit-report.js';
import { statementOfAccount } from '../../app/reports/statement-of-account.js';
import type { Services } from '../../app/services.js';
import { localeOf } from '../../core/policy/explain.js';
import {
  CUSTOMER_SORTS,
  customersMatching,
  getCustomer,
  getGroup,
  listCustomers,
  listGroups,
} from '../../store/queries/ledger.js';
import { actorOf } from '../auth.js';
import { PdfBody, sendPdf } from '../pdf-reply.js';
import {
  Country,
  Currency,
  Customer,
  CustomerGroup,
  ExternalId,
  errorResponses,
  Id,
  IdParams,
  Nullable,
  PageOf,
  PageQuery,
  Segment,
} from '../schemas.js';
import { type Api, security, single } from './types.js';

/** At most this many customers left by the other filters: their utilisation is read for them alone. */
const FEW_CUSTOMERS = 5_000;

export function customerRoutes(app: Api, services: Services): void {
  const { db } = services.store;
  const tags = ['customers'];

  app.get(
    '/v1/customers',
    {
      schema: {
        tags,
        security,
        summary: 'List customers',
        querystring: Type.Object(
          {
            ...PageQuery,
            groupId: Type.Optional(Id),
            segment: Type.Optional(Segment),
            salesOwner: Type.Optional(Type.String()),
            registrationId: Type.Optional(Type.String({ minLength: 1, maxLength: 60 })),
            name: Type.Optional(
              Type.String({ minLength: 1, maxLength: 100, description: 'part of the name, any case' }),
            ),
            search: Type.Optional(
              Type.String({
                minLength: 1,
                maxLength: 100,
                description: 'part of the name, or the whole external id or registration id',
              }),
            ),
            collector: Type.Optional(
              Type.String({
                minLength: 1,
                maxLength: 100,
                description: 'a username, `me` (whoever asks) or `none` (accounts nobody works)',
              }),
            ),
            minUtilisation: Type.Optional(
              Type.Number({
                minimum: 0,
                maximum: 100,
                description:
                  'exposure today at least this share of the limit in force (0.9 = 90 %); exposure with no limit counts as over any share',
              }),
            ),
            sort: Type.Optional(
              Type.Enum([...CUSTOMER_SORTS], {
                description: 'by name or external id, `-` first for descending (default: creation order)',
              }),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 200: PageOf(Customer), ...errorResponses },
      },
    },
    async (request) => {
      const { collector, minUtilisation, ...rest } = request.query;
      const filter = {
        ...rest,
        ...(collector === undefined
          ? {}
          : { collector: await collectorOf(db, request.principal, collector) }),
      };
      if (minUtilisation === undefined) return listCustomers(db, filter);
      // Narrowed by other filters (a collector's or sales owner's accounts), only those are weighed.
      const { limit: _limit, cursor: _cursor, sort: _sort, ...narrowing } = filter;
      const among =
        Object.keys(narrowing).length > 0 ? await customersMatching(db, filter, FEW_CUSTOMERS) : null;
      const ids = await customersAtUtilisation(services, minUtilisation, among ?? undefined);
      return listCustomers(db, { ...filter, within: { ids, dialect: services.store.dialect } });
    },
  );

  app.post(
    '/v1/customers',
    {
      schema: {
        tags,
        security,
        summary: 'Create a customer',
        body: Type.Object(
          {
            externalId: ExternalId,
            name: Type.String({ minLength: 1, maxLength: 200 }),
            country: Country,
            currency: Currency,
            segment: Segment,
            groupId: Type.Optional(Nullable(Id)),
            salesOwner: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
            registrationId: Type.Optional(
              Nullable(
                Type.String({
                  maxLength: 60,
                  description:
                    'a Chinese company’s unified social credit code (check character verified), or a registry number',
                }),
              ),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 201: Customer, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await single(createCustomers(services, actorOf(request), [request.body]))),
  );

  app.get(
    '/v1/customers/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Get a customer',
        params: IdParams,
        response: { 200: Customer, ...errorResponses },
      },
    },
    (request) => getCustomer(db, request.params.id),
  );

  // A customer's documents as PDFs, in the reader's language (Accept-Language).
  for (const [path, summary, make] of [
    [
      'credit-report',
      "A customer's credit report as a PDF (position, rating, screen, aging, alerts, statements, reviews), in the Accept-Language",
      customerCreditReport,
    ],
    [
      'statement-of-account',
      "A customer's statement of account as a PDF (open invoices, totals with the overdue part, the last 90 days' payments), in the Accept-Language",
      statementOfAccount,
    ],
  ] as const)
    app.get(
      `/v1/customers/:id/${path}`,
      {
        schema: { tags, security, summary, params: IdParams, response: { 200: PdfBody, ...errorResponses } },
      },
      async (request, reply) =>
        sendPdf(reply, await make(services, request.params.id, localeOf(request.headers['accept-language']))),
    );

  app.patch(
    '/v1/customers/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Change a customer (audited; currency and external id are fixed)',
        params: IdParams,
        body: Type.Object(
          {
            name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
            country: Type.Optional(Country),
            segment: Type.Optional(Segment),
            groupId: Type.Optional(Nullable(Id)),
            salesOwner: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
            registrationId: Type.Optional(
              Nullable(
                Type.String({
                  maxLength: 60,
                  description:
                    'a Chinese company’s unified social credit code (check character verified), or a registry number',
                }),
              ),
            ),
            collector: Type.Optional(
              Nullable(
                Type.String({
                  minLength: 1,
                  maxLength: 100,
                  description: 'the username of who works the account in collections (null: nobody)',
                }),
              ),
            ),
          },
          { additionalProperties: false, minProperties: 1 },
        ),
        response: { 200: Customer, ...errorResponses },
      },
    },
    (request) => updateCustomer(services, actorOf(request), request.params.id, request.body),
  );

  const groupTags = ['customer groups'];
  app.get(
    '/v1/customer-groups',
    {
      schema: {
        tags: groupTags,
        security,
        summary: 'List customer groups',
        querystring: Type.Object(PageQuery, { additionalProperties: false }),
        response: { 200: PageOf(CustomerGroup), ...errorResponses },
      },
    },
    (request) => listGroups(db, request.query),
  );

  app.post(
    '/v1/customer-groups',
    {
      schema: {
        tags: groupTags,
        security,
        summary: 'Create a customer group (parent company and subsidiaries)',
        body: Type.Object(
          { externalId: ExternalId, name: Type.String({ minLength: 1, maxLength: 200 }) },
          { additionalProperties: false },
        ),
        response: { 201: CustomerGroup, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createCustomerGroup(services, actorOf(request), request.body)),
  );

  app.get(
    '/v1/customer-groups/:id',
    {
      schema: {
        tags: groupTags,
        security,
        summary: 'Get a customer group with its members',
        params: IdParams,
        response: {
          200: Type.Object({ ...CustomerGroup.properties, memberIds: Type.Array(Id) }),
          ...errorResponses,
        },
      },
    },
    (request) => getGroup(db, request.params.id),
  );
}
