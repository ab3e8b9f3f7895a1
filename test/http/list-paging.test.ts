import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groupBy } from '../../src/core/group-by.js';
import { seedDemoBook } from '../../src/demo/seed.js';
import { type TestApi, testApi } from '../support/api.js';
import { walkPages } from '../support/pages.js';
import { DIALECTS } from '../support/stores.js';

/**
 * Every list sorted and paged on the server, on a demo book: followed cursor by cursor in small
 * pages, each order gives exactly the items of one big page, in the same order, each once, and the
 * sort key never goes backwards.
 */
const LISTS: { path: string; sorts: Record<string, (item: Record<string, unknown>) => string | number> }[] = [
  {
    path: '/v1/disputes',
    sorts: {
      openedOn: (i) => i.openedOn as string,
      amount: (i) => i.amountMinor as number,
      dueOn: (i) => i.dueOn as string,
    },
  },
  {
    path: '/v1/promises',
    sorts: { promisedOn: (i) => i.promisedOn as string, amount: (i) => i.amountMinor as number },
  },
  {
    path: '/v1/payment-plans',
    sorts: { createdAt: (i) => i.createdAt as string, total: (i) => i.totalMinor as number },
  },
  {
    path: '/v1/limit-requests',
    sorts: { createdAt: (i) => i.createdAt as string, amount: (i) => i.amountMinor as number },
  },
  {
    path: '/v1/write-off-requests',
    sorts: { requestedAt: (i) => i.requestedAt as string, amount: (i) => i.amountMinor as number },
  },
  { path: '/v1/review-cases', sorts: { openedAt: (i) => i.openedAt as string } },
  {
    path: '/v1/orders/queue',
    sorts: { createdAt: (i) => i.createdAt as string, amount: (i) => i.amountMinor as number },
  },
  {
    path: '/v1/collections/worklist',
    sorts: {
      expectedValue: (i) => i.expectedValueMinor as number,
      overdue: (i) => i.overdueMinor as number,
      daysPastDue: (i) => i.oldestDaysPastDue as number,
      name: (i) => i.customerName as string,
    },
  },
];

describe.each(DIALECTS)('every list sorted and paged on the server (%s)', (dialect) => {
  let api: TestApi;
  const get = async (url: string) => {
    const answer = await api.call({ method: 'GET', url });
    expect(answer.statusCode, `${url}: ${answer.body}`).toBe(200);
    return answer.json() as { items: Record<string, unknown>[]; nextCursor: string | null };
  };

  beforeAll(async () => {
    api = await testApi(dialect);
    await seedDemoBook(api.services, { customers: 40, months: 12 });
    // More of what the demo holds few of: disputes, promises, plans, write-off requests, contests.
    const post = async (url: string, payload: object) => {
      const answer = await api.call({ method: 'POST', url, payload });
      expect(answer.statusCode, `${url}: ${answer.body}`).toBeLessThan(300);
      return answer.json();
    };
    const today = api.services.clock.today();
    const later = (days: number) =>
      new Date(Date.parse(`${today}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
    const open = (await get('/v1/invoices?status=open&limit=500')).items as {
      id: string;
      customerId: string;
      openMinor: number;
      currency: string;
      dueDate: string;
    }[];
    const disputed = new Set((await get('/v1/disputes?limit=500')).items.map((d) => d.invoiceId));
    const overdue = open.filter((i) => i.dueDate < today && !disputed.has(i.id));
    const byCustomer = groupBy(overdue, (i) => i.customerId);
    const customers = [...byCustomer.keys()];
    expect(customers.length).toBeGreaterThanOrEqual(17);
    for (const [k, customerId] of customers.slice(0, 5).entries()) {
      const invoices = byCustomer.get(customerId) ?? [];
      await post(`/v1/customers/${customerId}/payment-plans`, {
        invoiceIds: invoices.map((i) => i.id),
        instalments: 2 + k,
        firstDueOn: later(10 + k),
        note: 'agreed by phone',
      });
    }
    for (const [k, customerId] of customers.slice(5, 10).entries()) {
      const [invoice] = byCustomer.get(customerId) ?? [];
      await post(`/v1/invoices/${invoice?.id}/disputes`, {
        amountMinor: Math.max(1, Math.floor((invoice?.openMinor ?? 2) / (k + 2))),
        reason: 'quality',
        note: 'damaged goods',
        owner: 'credit',
        dueOn: later(14 - k),
      });
      await post(`/v1/customers/${customerId}/promises`, {
        amountMinor: 10_000 * (k + 1),
        currency: invoice?.currency,
        promisedOn: later(k + 1),
        promisedBy: 'the CFO',
      });
    }
    for (const [k, customerId] of customers.slice(10, 13).entries()) {
      const [invoice] = byCustomer.get(customerId) ?? [];
      for (const part of [2, 3])
        await post('/v1/write-off-requests', {
          invoiceId: invoice?.id,
          externalId: `WO-${k}-${part}`,
          amountMinor: Math.max(1, Math.floor((invoice?.openMinor ?? part) / (part * 2))),
          reason: 'insolvent',
        });
    }
    // Orders far over what the customers may owe: each held or declined, then contested.
    for (const [k, customerId] of customers.slice(13, 17).entries()) {
      const placed = await post('/v1/orders', {
        customerId,
        externalId: `BIG-${k}`,
        amountMinor: 900_000_000 + k,
        currency: open.find((i) => i.customerId === customerId)?.currency,
      });
      await post(`/v1/orders/${placed.id}/contest`, { grounds: 'the buyer paid yesterday' });
    }
  }, 120_000);
  afterAll(async () => api.dispose());

  it.each(LISTS)('$path', async ({ path, sorts }) => {
    const idOf = (i: Record<string, unknown>) => (i.id ?? i.customerId) as string;
    for (const [key, sortValue] of Object.entries(sorts))
      for (const sort of [key, `-${key}`]) {
        const whole = (await get(`${path}?sort=${sort}&limit=500`)).items;
        // More than a page of three: the cursors are followed, not just one page read.
        expect(whole.length, path).toBeGreaterThan(3);
        const walked = await walkPages<Record<string, unknown>>(api, path, `sort=${sort}`, 3);
        expect(walked.map(idOf), `${path} ${sort}`).toEqual(whole.map(idOf));
        expect(new Set(walked.map(idOf)).size).toBe(walked.length);
        for (let k = 1; k < walked.length; k++) {
          const [a, b] = [sortValue(walked[k - 1] as never), sortValue(walked[k] as never)];
          if (sort.startsWith('-')) expect(a >= b, `${path} ${sort} at ${k}`).toBe(true);
          else expect(a <= b, `${path} ${sort} at ${k}`).toBe(true);
        }
      }
  });

  it('names a sort it does not know, and a cursor it did not give, by field', async () => {
    const sort = await api.call({ method: 'GET', url: '/v1/disputes?sort=colour' });
    expect(sort.statusCode).toBe(400);
    expect(sort.json().error.field).toMatch(/sort/);
    const cursor = await api.call({ method: 'GET', url: '/v1/promises?cursor=bm9wZQ' });
    expect(cursor.statusCode).toBe(400);
    expect(cursor.json().error).toMatchObject({ code: 'invalid_cursor', field: 'cursor' });
  });
});
