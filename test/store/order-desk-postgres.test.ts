import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderKey } from '../../src/app/credit/keyed-orders.js';
import { placeKeyedOrder, placeOrder } from '../../src/app/credit/place-order.js';
import { createCustomers } from '../../src/app/customers/create-customers.js';
import type { Services } from '../../src/app/services.js';
import { openStore, type Store } from '../../src/store/db.js';
import { expectExposureMatchesLedger } from '../support/invariants.js';
import { grantLimits } from '../support/limits.js';
import { freshStore, PG_URL, type TestStore, testServices } from '../support/stores.js';

// Two processes on one PostgreSQL each decide their orders in runs. When the other process takes
// an external id between a run's check and its insert, the run fails as a whole; nothing of it is
// written and its orders are decided one by one, so only the duplicate is refused.
describe('order desks of two processes on one PostgreSQL', () => {
  let t: TestStore;
  let second: Store;
  let services: [Services, Services];
  let customers: string[];
  beforeAll(async () => {
    t = await freshStore('postgres');
    const schema = (
      await t.store.db
        .selectNoFrom((eb) => eb.fn<string>('current_schema', []).as('s'))
        .executeTakeFirstOrThrow()
    ).s;
    second = openStore({ dialect: 'postgres', url: PG_URL, searchPath: schema });
    services = [testServices(t.store), testServices(second)];
    // Two customers, so the two runs lock nothing in common and race to the same insert.
    customers = (
      await createCustomers(services[0], 'test', [
        { externalId: 'TWO-DESKS-A', name: 'Desk A', country: 'CN', currency: 'CNY', segment: 'large' },
        { externalId: 'TWO-DESKS-B', name: 'Desk B', country: 'CN', currency: 'CNY', segment: 'large' },
      ])
    ).map((c) => c.id);
    await grantLimits(t.store.db, customers, 900_000_000);
  });
  afterAll(async () => {
    await second.close();
    await t.dispose();
  });

  it('the same external ids sent to both at once: each is placed once, every other copy refused as a duplicate', async () => {
    const ids = Array.from({ length: 60 }, (_, i) => `DUP-${i}`);
    const attempts = await Promise.allSettled(
      ids.flatMap((externalId) =>
        services.map((s, desk) =>
          placeOrder(s, 'sales', {
            customerId: customers[desk] as string,
            externalId,
            amountMinor: 1_000,
            currency: 'CNY',
          }),
        ),
      ),
    );
    const placed = attempts.filter((a) => a.status === 'fulfilled');
    const refused = attempts.flatMap((a) => (a.status === 'rejected' ? [a.reason as { code?: string }] : []));
    expect(placed).toHaveLength(ids.length);
    expect(refused.map((r) => r.code)).toEqual(ids.map(() => 'duplicate_external_id'));
    const written = await t.store.db
      .selectFrom('orders')
      .select('external_id')
      .where('customer_id', 'in', customers)
      .execute();
    expect(written.map((o) => o.external_id).sort()).toEqual([...ids].sort());
    await expectExposureMatchesLedger(t.store);
  });

  it('the same keyed orders sent to both at once: each placed once, every other copy replays its answer', async () => {
    const keyOf = (key: string): OrderKey => ({
      apiKeyId: 'key_both_desks',
      key,
      hash: `hash-${key}`,
      answer: (placed) => JSON.stringify({ id: placed.order.id }),
    });
    const ids = Array.from({ length: 40 }, (_, i) => `KEYED-${i}`);
    const results = await Promise.all(
      ids.flatMap((externalId) =>
        services.map((s) =>
          placeKeyedOrder(
            s,
            'sales',
            { customerId: customers[0] as string, externalId, amountMinor: 1_000, currency: 'CNY' },
            keyOf(externalId),
          ),
        ),
      ),
    );
    // Never refused as a duplicate of itself: the copy that came second replays the first's answer.
    expect(results.filter((r) => 'placed' in r)).toHaveLength(ids.length);
    expect(results.filter((r) => 'replayed' in r)).toHaveLength(ids.length);
    const written = await t.store.db
      .selectFrom('orders')
      .select('external_id')
      .where('external_id', 'like', 'KEYED-%')
      .execute();
    expect(written).toHaveLength(ids.length);
  });
});
