import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decideLimitRequest, requestLimit } from '../../src/app/credit/limit-requests.js';
import { ordersSettled } from '../../src/app/credit/order-desk.js';
import { placeOrder, previewOrder } from '../../src/app/credit/place-order.js';
import { createCustomers } from '../../src/app/customers/create-customers.js';
import type { Services } from '../../src/app/services.js';
import { expectLedgerBalances } from '../support/invariants.js';
import { freshStore, type TestStore, testServices } from '../support/stores.js';

// The embedded store decides concurrent orders in runs, from positions held in memory (group commit).
describe('the order desk (SQLite group commit)', () => {
  let t: TestStore;
  let services: Services;
  let n = 0;
  beforeAll(async () => {
    t = await freshStore('sqlite');
    services = testServices(t.store);
  });
  afterAll(async () => t.dispose());

  async function customerWithLimit(amountMinor: number): Promise<string> {
    n += 1;
    const [customer] = await createCustomers(services, 'test', [
      { externalId: `DESK-${n}`, name: `Desk ${n}`, country: 'CN', currency: 'CNY', segment: 'mid' },
    ]);
    await setLimit(customer?.id as string, amountMinor);
    return customer?.id as string;
  }

  async function setLimit(customerId: string, amountMinor: number) {
    const request = await requestLimit(services, 'analyst', {
      subjectType: 'customer',
      subjectId: customerId,
      kind: 'permanent',
      amountMinor,
      currency: 'CNY',
      reason: 'test',
    });
    await decideLimitRequest(services, { actor: 'manager', role: 'credit_manager' }, request.id, {
      approve: true,
      note: 'ok',
    });
  }

  const order = (customerId: string, externalId: string, amountMinor: number) =>
    placeOrder(services, 'sales', { customerId, externalId, amountMinor, currency: 'CNY' });

  it('refuses only the orders of a run that are wrong, and still decides the others in turn', async () => {
    const customerId = await customerWithLimit(1_000_000);
    const results = await Promise.allSettled([
      order(customerId, 'RUN-1', 400_000),
      order(customerId, 'RUN-1', 10_000),
      order('cus_missing', 'RUN-2', 10_000),
      order(customerId, 'RUN-3', 400_000),
      order(customerId, 'RUN-4', 400_000),
    ]);
    const codes = results.map((r) =>
      r.status === 'fulfilled' ? r.value.decision.outcome : (r.reason as { code: string }).code,
    );
    expect(codes.slice(0, 4)).toEqual(['approve', 'duplicate_external_id', 'customer_not_found', 'approve']);
    // The third 400,000 does not fit beside the first two: it is not approved in full.
    expect(codes[4]).not.toBe('approve');
    const approved = await services.store.db
      .selectFrom('orders')
      .select((eb) => eb.fn.sum<number>('credit_minor').as('sum'))
      .where('customer_id', '=', customerId)
      .executeTakeFirstOrThrow();
    expect(Number(approved.sum)).toBeLessThanOrEqual(1_000_000);
    await expectLedgerBalances(services.store);
  });

  it('answers what-ifs in the run, after its orders: they see them, reserve nothing, and a bad one fails alone', async () => {
    const customerId = await customerWithLimit(1_000_000);
    const before = await previewOrder(services, {
      customerId,
      externalId: 'W',
      amountMinor: 600_000,
      currency: 'CNY',
    });
    expect(before.decision.outcome).toBe('approve');
    const [placed, after, unknown] = await Promise.allSettled([
      order(customerId, 'WHATIF-1', 600_000),
      previewOrder(services, { customerId, externalId: 'W', amountMinor: 600_000, currency: 'CNY' }),
      previewOrder(services, { customerId: 'cus_missing', externalId: 'W', amountMinor: 1, currency: 'CNY' }),
    ]);
    expect(placed.status === 'fulfilled' && placed.value.decision.outcome).toBe('approve');
    // Asked in the same run, after the order: 600,000 more no longer fits.
    expect(after.status === 'fulfilled' && after.value.input.exposureMinor).toBe(600_000);
    expect(after.status === 'fulfilled' && after.value.decision.outcome).not.toBe('approve');
    expect(unknown.status === 'rejected' && (unknown.reason as { code: string }).code).toBe(
      'customer_not_found',
    );
    const written = await services.store.db
      .selectFrom('orders')
      .select('external_id')
      .where('customer_id', '=', customerId)
      .execute();
    expect(written.map((o) => o.external_id)).toEqual(['WHATIF-1']);
    await expectLedgerBalances(services.store);
  });

  it('reads afresh after another use case changed the position (a lower limit)', async () => {
    const customerId = await customerWithLimit(1_000_000);
    expect((await order(customerId, 'CUT-1', 600_000)).decision.outcome).toBe('approve');
    await setLimit(customerId, 500_000);
    expect((await order(customerId, 'CUT-2', 50_000)).decision.outcome).not.toBe('approve');
  });

  it('reads afresh after another process wrote to the database file', async () => {
    const customerId = await customerWithLimit(1_000_000);
    expect((await order(customerId, 'EXT-1', 600_000)).decision.outcome).toBe('approve');
    const { rows } = await sql<{ file: string }>`select file from pragma_database_list`.execute(t.store.db);
    const other = new SQLite(rows[0]?.file as string);
    other
      .prepare("update credit_limits set amount_minor = 500000 where subject_id = ? and status = 'active'")
      .run(customerId);
    other.close();
    expect((await order(customerId, 'EXT-2', 50_000)).decision.outcome).not.toBe('approve');
  });

  it('answers a what-if while another connection holds the write lock, from what is committed', async () => {
    const customerId = await customerWithLimit(1_000_000);
    const whatIf = (amountMinor: number) =>
      previewOrder(services, { customerId, externalId: 'WHAT-IF', amountMinor, currency: 'CNY' });
    expect((await whatIf(600_000)).decision.outcome).toBe('approve');
    const { rows } = await sql<{ file: string }>`select file from pragma_database_list`.execute(t.store.db);
    const other = new SQLite(rows[0]?.file as string);
    other.exec('begin immediate');
    other
      .prepare("update credit_limits set amount_minor = 500000 where subject_id = ? and status = 'active'")
      .run(customerId);
    const started = performance.now();
    // Not seen while uncommitted, and not waited for (a wait would last the 5 s busy timeout).
    expect((await whatIf(600_000)).decision.outcome).toBe('approve');
    expect(performance.now() - started).toBeLessThan(1_000);
    other.exec('commit');
    other.close();
    expect((await whatIf(600_000)).decision.outcome).not.toBe('approve');
  });

  it('settles: once ordersSettled resolves, every order submitted before is written', async () => {
    const customerId = await customerWithLimit(1_000_000);
    const placed = Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => order(customerId, `SETTLE-${i}`, 1_000)),
    );
    await ordersSettled(t.store);
    const written = await t.store.db
      .selectFrom('orders')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('external_id', 'like', 'SETTLE-%')
      .executeTakeFirstOrThrow();
    expect(Number(written.n)).toBe(20);
    expect((await placed).every((r) => r.status === 'fulfilled')).toBe(true);
  });
});
