import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureBootstrapKey } from '../../src/app/auth/api-keys.js';
import { createCustomers } from '../../src/app/customers/create-customers.js';
import type { Services } from '../../src/app/services.js';
import { ADMIN_KEY, testApi } from '../support/api.js';
import { expectExposureMatchesLedger } from '../support/invariants.js';
import { naivePlaceOrder } from '../support/naive-order.js';
import { startServer } from '../support/server-process.js';
import { freshStore, PG_URL, testServices } from '../support/stores.js';

const ORDERS = 1_000;
const LIMIT_MINOR = 1_000_000;
// Amounts between 50,000 and 149,999: about ten fit the 1,000,000 limit; the rest must get a clean
// refusal (escalate or hold), or an approval against prepayment that reserves only what is left.
const amountOf = (i: number) => 50_000 + ((i * 7_919) % 100_000);

async function grantLimit(services: Services, customerId: string) {
  const now = services.clock.now().toISOString();
  await services.store.db
    .insertInto('credit_limits')
    .values({
      id: `lim_${customerId}`,
      subject_type: 'customer',
      subject_id: customerId,
      kind: 'permanent',
      amount_minor: LIMIT_MINOR,
      currency: 'CNY',
      starts_on: '2020-01-01',
      expires_on: null,
      tiers_json: null,
      released_percent: 100,
      status: 'active',
      request_id: null,
      created_at: now,
    })
    .execute();
}

async function newCustomer(services: Services, externalId: string): Promise<string> {
  const [c] = await createCustomers(services, 'test', [
    { externalId, name: externalId, country: 'CN', currency: 'CNY', segment: 'large' },
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

  it(`${ORDERS} simultaneous orders split over two servers never pass the limit; no 5xx`, async () => {
    const t = await freshStore('postgres');
    try {
      const services = testServices(t.store);
      await ensureBootstrapKey(services, { configuredKey: ADMIN_KEY, dataDir });
      const customerId = await newCustomer(services, 'RACE-PG');
      const schema = (
        await t.store.db
          .selectNoFrom((eb) => eb.fn<string>('current_schema', []).as('s'))
          .executeTakeFirstOrThrow()
      ).s;
      const bases = await Promise.all([serveSchema(schema), serveSchema(schema)]);
      const responses = await Promise.all(
        Array.from({ length: ORDERS }, async (_, i) => {
          const r = await fetch(`${bases[i % 2]}/v1/orders`, {
            method: 'POST',
            headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
            body: JSON.stringify({
              customerId,
              externalId: `P-${i}`,
              amountMinor: amountOf(i),
              currency: 'CNY',
            }),
          });
          return { status: r.status, body: (await r.json()) as Placed['body'] };
        }),
      );
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
});
