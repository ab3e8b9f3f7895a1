import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureBootstrapKey } from '../../src/app/auth/api-keys.js';
import { createCustomerGroup } from '../../src/app/customers/create-customer-group.js';
import { createCustomers } from '../../src/app/customers/create-customers.js';
import type { Services } from '../../src/app/services.js';
import type { Store } from '../../src/store/db.js';
import { ADMIN_KEY, testApi } from '../support/api.js';
import { expectExposureMatchesLedger } from '../support/invariants.js';
import { grantLimits } from '../support/limits.js';
import { naivePlaceOrder } from '../support/naive-order.js';
import { startServer } from '../support/server-process.js';
import { freshStore, PG_URL, testServices } from '../support/stores.js';

const ORDERS = 1_000;
const LIMIT_MINOR = 1_000_000;
// Amounts between 50,000 and 149,999: about ten fit the 1,000,000 limit; the rest must get a clean
// refusal (escalate or hold), or an approval against prepayment that reserves only what is left.
const amountOf = (i: number) => 50_000 + ((i * 7_919) % 100_000);

const grantLimit = (services: Services, subjectId: string, subjectType: 'customer' | 'group' = 'customer') =>
  grantLimits(services.store.db, [subjectId], LIMIT_MINOR, subjectType);

async function newCustomer(services: Services, externalId: string, groupId?: string): Promise<string> {
  const [c] = await createCustomers(services, 'test', [
    {
      externalId,
      name: externalId,
      country: 'CN',
      currency: 'CNY',
      segment: 'large',
      groupId: groupId ?? null,
    },
  ]);
  await grantLimit(services, c?.id as string);
  return c?.id as string;
}

async function approvedCredit(services: Services, customerId: string): Promise<number> {
  const rows = await services.store.db
    .selectFrom('orders')
    .select(['credit_minor'])
    .where('customer_id', '=', customerId)
    .execute();
  return rows.reduce((s, r) => s + (r.credit_minor ?? 0), 0);
}

type Placed = { status: number; body: { status?: string; decision?: { outcome: string } } };

async function approvedCreditOf(services: Services, customerIds: readonly string[]): Promise<number> {
  let sum = 0;
  for (const id of customerIds) sum += await approvedCredit(services, id);
  return sum;
}

function expectCleanDecisions(responses: Placed[]) {
  const statuses = new Map<number, number>();
  for (const r of responses) statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
  expect(Object.fromEntries(statuses)).toEqual({ 201: ORDERS });
  const outcomes = new Set(responses.map((r) => r.body.decision?.outcome));
  expect(outcomes.has('approve')).toBe(true);
  expect(outcomes.has('escalate') || outcomes.has('hold')).toBe(true);
}

describe('concurrent orders against one customer (SQLite, one process)', () => {
  it(`${ORDERS} simultaneous orders never take exposure past the limit; every one gets a clean decision`, async () => {
    const api = await testApi('sqlite');
    try {
      const customerId = await newCustomer(api.services, 'RACE-SQLITE');
      const responses = await Promise.all(
        Array.from({ length: ORDERS }, (_, i) =>
          api
            .call({
              method: 'POST',
              url: '/v1/orders',
              payload: { customerId, externalId: `R-${i}`, amountMinor: amountOf(i), currency: 'CNY' },
            })
            .then((r) => ({ status: r.statusCode, body: r.json() })),
        ),
      );
      expectCleanDecisions(responses);
      const approved = await approvedCredit(api.services, customerId);
      expect(approved).toBeLessThanOrEqual(LIMIT_MINOR);
      expect(approved).toBeGreaterThan(LIMIT_MINOR - 150_000);
      await expectExposureMatchesLedger(api.services.store);
    } finally {
      await api.dispose();
    }
  });

  it('the same test catches a naive read-then-write check', async () => {
    const t = await freshStore('sqlite');
    try {
      const services = testServices(t.store);
      const customerId = await newCustomer(services, 'NAIVE-SQLITE');
      await Promise.all(
        Array.from({ length: 200 }, (_, i) => naivePlaceOrder(services, customerId, `N-${i}`, amountOf(i))),
      );
      expect(await approvedCredit(services, customerId)).toBeGreaterThan(LIMIT_MINOR);
    } finally {
      await t.dispose();
    }
  });
});

describe('concurrent orders against one customer (PostgreSQL, two server processes)', () => {
  const servers: ChildProcess[] = [];
  const dataDir = mkdtempSync(join(tmpdir(), 'fulcrum-race-'));
  afterAll(() => {
    for (const s of servers) s.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function serveSchema(schema: string): Promise<string> {
    const url = `${PG_URL}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;
    const { base, server } = await startServer({
      env: {
        DATABASE_URL: url,
        FULCRUM_DEMO: '0',
        FULCRUM_BOOTSTRAP_KEY: ADMIN_KEY,
        FULCRUM_DATA_DIR: dataDir,
      },
      timeoutMs: 10_000,
    });
    servers.push(server);
    return base;
  }

  /** Two servers on the test store's schema, as two processes of one deployment. */
  async function twoServers(store: Store): Promise<string[]> {
    const schema = (
      await store.db
        .selectNoFrom((eb) => eb.fn<string>('current_schema', []).as('s'))
        .executeTakeFirstOrThrow()
    ).s;
    return Promise.all([serveSchema(schema), serveSchema(schema)]);
  }

  /** ORDERS orders at once, alternating between the servers, each for customerOf(i). */
  function placeAll(bases: string[], customerOf: (i: number) => string, prefix: string) {
    return Promise.all(
      Array.from({ length: ORDERS }, async (_, i) => {
        const r = await fetch(`${bases[i % 2]}/v1/orders`, {
          method: 'POST',
          headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
          body: JSON.stringify({
            customerId: customerOf(i),
            externalId: `${prefix}-${i}`,
            amountMinor: amountOf(i),
            currency: 'CNY',
          }),
        });
        return { status: r.status, body: (await r.json()) as Placed['body'] };
      }),
    );
  }

  it(`${ORDERS} simultaneous orders split over two servers never pass the limit; no 5xx`, async () => {
    const t = await freshStore('postgres');
    try {
      const services = testServices(t.store);
      await ensureBootstrapKey(services, { configuredKey: ADMIN_KEY, dataDir });
      const customerId = await newCustomer(services, 'RACE-PG');
      const bases = await twoServers(t.store);
      const responses = await placeAll(bases, () => customerId, 'P');
      expectCleanDecisions(responses);
      const approved = await approvedCredit(services, customerId);
      expect(approved).toBeLessThanOrEqual(LIMIT_MINOR);
      expect(approved).toBeGreaterThan(LIMIT_MINOR - 150_000);
      await expectExposureMatchesLedger(t.store);

      const naiveCustomer = await newCustomer(services, 'NAIVE-PG');
      await Promise.all(
        Array.from({ length: 200 }, (_, i) =>
          naivePlaceOrder(services, naiveCustomer, `NP-${i}`, amountOf(i)),
        ),
      );
      expect(await approvedCredit(services, naiveCustomer)).toBeGreaterThan(LIMIT_MINOR);
    } finally {
      for (const s of servers.splice(0)) s.kill('SIGTERM');
      await t.dispose();
    }
  }, 120_000);

  // Each server decides runs of orders for many customers in one transaction: the runs of the two
  // servers lock overlapping sets of customers and the group's row at the same time.
  it(`${ORDERS} orders spread over a group's members and other customers, on two servers, pass no customer's or group's limit`, async () => {
    const t = await freshStore('postgres');
    try {
      const services = testServices(t.store);
      await ensureBootstrapKey(services, { configuredKey: ADMIN_KEY, dataDir });
      const group = await createCustomerGroup(services, 'test', { externalId: 'G-RACE', name: 'Race group' });
      await grantLimit(services, group.id, 'group');
      const members: string[] = [];
      const others: string[] = [];
      for (let i = 0; i < 6; i++) {
        members.push(await newCustomer(services, `RACE-M${i}`, group.id));
        others.push(await newCustomer(services, `RACE-O${i}`));
      }
      const customers = [...members, ...others];
      const bases = await twoServers(t.store);
      const responses = await placeAll(bases, (i) => customers[i % customers.length] as string, 'G');
      expectCleanDecisions(responses);
      // Six members with a 1,000,000 limit each share the group's 1,000,000.
      const groupApproved = await approvedCreditOf(services, members);
      expect(groupApproved).toBeLessThanOrEqual(LIMIT_MINOR);
      expect(groupApproved).toBeGreaterThan(LIMIT_MINOR - 150_000);
      for (const id of others) expect(await approvedCredit(services, id)).toBeLessThanOrEqual(LIMIT_MINOR);
      await expectExposureMatchesLedger(t.store);
    } finally {
      for (const s of servers.splice(0)) s.kill('SIGTERM');
      await t.dispose();
    }
  }, 120_000);
});
