import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApi, testApi } from '../support/api.js';
import { EXPECTED_ACCESS } from './authorization-matrix.js';

interface Operation {
  parameters?: { in: string; name: string }[];
  requestBody?: { content: Record<string, { schema: Schema }> };
}
interface Schema {
  type?: string;
  properties?: Record<string, Schema>;
  additionalProperties?: boolean | Schema;
}
interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
}

const ROLES = ['admin', 'credit_manager', 'credit_analyst', 'sales', 'finance', 'legal', 'auditor'] as const;
type Role = (typeof ROLES)[number];
type Side = 'own' | 'other';

/** The objects of two customers: one of the sales user's, one of a colleague's. */
interface Book {
  customer: string;
  order: string;
  invoice: string;
  payment: string;
}

describe('authorisation: every route of the OpenAPI document × every role × own / other customer', () => {
  let api: TestApi;
  let doc: OpenApiDocument;
  const keys = {} as Record<Role, string>;
  const books = {} as Record<Side, Book>;

  const seedCustomer = async (externalId: string, salesOwner: string): Promise<Book> => {
    const customer = (
      await api.call({
        method: 'POST',
        url: '/v1/customers',
        payload: { externalId, name: externalId, country: 'CN', currency: 'CNY', segment: 'mid', salesOwner },
      })
    ).json().id;
    const invoice = (
      await api.call({
        method: 'POST',
        url: '/v1/invoices',
        payload: {
          customerId: customer,
          externalId: `${externalId}-INV`,
          invoiceNumber: `${externalId}-1`,
          issueDate: '2026-03-01',
          dueDate: '2026-03-31',
          amountMinor: 10_000,
          currency: 'CNY',
        },
      })
    ).json().id;
    const payment = (
      await api.call({
        method: 'POST',
        url: '/v1/payments',
        payload: {
          customerId: customer,
          externalId: `${externalId}-PAY`,
          paidOn: '2026-03-10',
          amountMinor: 1_000,
          currency: 'CNY',
        },
      })
    ).json().id;
    const order = (
      await api.call({
        method: 'POST',
        url: '/v1/orders',
        payload: { customerId: customer, externalId: `${externalId}-ORD`, amountMinor: 100, currency: 'CNY' },
      })
    ).json().id;
    for (const [name, id] of Object.entries({ customer, invoice, payment, order }))
      expect(id, `${externalId} ${name}`).toEqual(expect.any(String));
    return { customer, order, invoice, payment };
  };

  beforeAll(async () => {
    api = await testApi('sqlite');
    for (const role of ROLES) {
      const created = await api.call({
        method: 'POST',
        url: '/v1/api-keys',
        payload: { name: role, role, ...(role === 'sales' && { salesOwner: 'wang.li' }) },
      });
      expect(created.statusCode, created.body).toBe(201);
      keys[role] = created.json().key;
    }
    books.own = await seedCustomer('OWN', 'wang.li');
    books.other = await seedCustomer('OTHER', 'zhao.min');
    doc = (await api.app.inject({ method: 'GET', url: '/openapi.json' })).json<OpenApiDocument>();
  });
  afterAll(async () => api.dispose());

  const operations = () =>
    Object.entries(doc.paths)
      .filter(([path]) => path.startsWith('/v1/'))
      .flatMap(([path, methods]) =>
        Object.entries(methods).map(([method, operation]) => ({
          key: `${method.toUpperCase()} ${path}`,
          path,
          method,
          operation,
        })),
      );

  /** The request a route gets, aimed at one side's objects wherever the route names a customer. */
  const requestFor = (path: string, method: string, operation: Operation, book: Book, salesOwner: string) => {
    const object = path.startsWith('/v1/orders/')
      ? book.order
      : path.startsWith('/v1/invoices/')
        ? book.invoice
        : path.startsWith('/v1/payments/')
          ? book.payment
          : path.startsWith('/v1/customers/')
            ? book.customer
            : 'x1';
    const url = path.replace(/\{version\}/, '0').replace(/\{id\}/, object);
    const query = new URLSearchParams();
    for (const p of operation.parameters ?? []) {
      if (p.in === 'query' && p.name === 'customerId') query.set('customerId', book.customer);
      if (p.in === 'query' && p.name === 'salesOwner') query.set('salesOwner', salesOwner);
    }
    const bodyProps = operation.requestBody?.content['application/json']?.schema.properties ?? {};
    const payload = {
      ...('customerId' in bodyProps && { customerId: book.customer }),
      ...('subjectId' in bodyProps && { subjectType: 'customer', subjectId: book.customer }),
    };
    const qs = query.toString();
    return {
      method: method.toUpperCase() as 'GET',
      url: qs ? `${url}?${qs}` : url,
      ...(method === 'get' ? {} : { payload }),
    };
  };

  it('classifies every route, and only routes that exist', () => {
    const documented = operations().map((o) => o.key);
    expect(documented.sort()).toEqual(Object.keys(EXPECTED_ACCESS).sort());
  });

  it('answers every route as the matrix says, for every role and for own and other customers; never a 5xx', async () => {
    const mismatches: string[] = [];
    for (const { key, path, method, operation } of operations()) {
      const expected = EXPECTED_ACCESS[key];
      if (!expected || expected.public) continue;
      const requests = {
        own: requestFor(path, method, operation, books.own, 'wang.li'),
        other: requestFor(path, method, operation, books.other, 'zhao.min'),
      };
      // A request that names no customer is the same for both sides.
      const namesCustomer = JSON.stringify(requests.own) !== JSON.stringify(requests.other);
      for (const role of ROLES) {
        for (const side of ['own', 'other'] as const) {
          const response = await api.app.inject({
            ...requests[side],
            headers: { authorization: `Bearer ${keys[role]}` },
          });
          const code = response.statusCode === 403 ? response.json().error.code : null;
          const refused = code === 'forbidden' || code === 'not_owner';
          // Sales reach another sales owner's customer nowhere.
          const allowed =
            expected.roles.includes(role) && (role !== 'sales' || side === 'own' || !namesCustomer);
          if (response.statusCode >= 500)
            mismatches.push(`${key} as ${role} (${side}): ${response.statusCode}`);
          if (allowed === refused || response.statusCode === 401)
            mismatches.push(
              `${key} as ${role} (${side}): expected ${allowed ? 'allowed' : 'refused'}, got ${response.statusCode} ${response.body.slice(0, 120)}`,
            );
        }
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('closes every JSON body: a field a route does not take is refused, not silently stored', () => {
    const open = operations()
      .filter(({ operation }) => {
        const schema = operation.requestBody?.content['application/json']?.schema;
        return schema?.type === 'object' && schema.additionalProperties !== false;
      })
      .map((o) => o.key);
    expect(open).toEqual([]);
  });

  it('refuses mass assignment of approval, status and limit fields', async () => {
    const attempts = [
      {
        url: '/v1/orders',
        method: 'POST' as const,
        payload: {
          customerId: books.own.customer,
          externalId: 'MA-1',
          amountMinor: 100,
          currency: 'CNY',
          status: 'open',
          approvedBy: 'me',
        },
      },
      {
        url: '/v1/limit-requests',
        method: 'POST' as const,
        payload: {
          subjectType: 'customer',
          subjectId: books.own.customer,
          kind: 'permanent',
          amountMinor: 1_000_000,
          currency: 'CNY',
          reason: 'x',
          status: 'approved',
          approvedBy: 'me',
        },
      },
      {
        url: `/v1/customers/${books.own.customer}`,
        method: 'PATCH' as const,
        payload: { limitMinor: 99_000_000 },
      },
      {
        url: '/v1/users',
        method: 'POST' as const,
        payload: {
          username: 'mallory',
          displayName: 'M',
          role: 'sales',
          salesOwner: 'wang.li',
          password: 'long-enough-pass',
          failedLogins: 0,
        },
      },
    ];
    for (const attempt of attempts) {
      const response = await api.call(attempt);
      expect(response.statusCode, `${attempt.method} ${attempt.url}`).toBe(400);
      expect(response.json().error.message).toContain('is not a field this endpoint accepts');
    }
    const order = await api.call({ method: 'GET', url: `/v1/orders?customerId=${books.own.customer}` });
    expect(order.json().items.map((o: { externalId: string }) => o.externalId)).not.toContain('MA-1');
  });
});
