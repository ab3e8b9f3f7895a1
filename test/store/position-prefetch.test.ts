import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CreditPosition, creditPosition } from '../../src/app/credit/credit-position.js';
import type { OrderKey } from '../../src/app/credit/keyed-orders.js';
import { activatePolicy, createPolicyDraft } from '../../src/app/credit/policies.js';
import {
  CachingReader,
  type PositionReader,
  readPositionRows,
  storeReader,
} from '../../src/app/credit/position-reader.js';
import type { Services } from '../../src/app/services.js';
import { DEFAULT_POLICY } from '../../src/core/policy/default-policy.js';
import { parseBusinessDate } from '../../src/core/time/business-date.js';
import { seedDemoBook } from '../../src/demo/seed.js';
import { DIALECTS, freshStore, type TestStore, testServices } from '../support/stores.js';

const TODAY = parseBusinessDate('2026-03-31', 'today');
const key = (k: string): OrderKey => ({ apiKeyId: 'api_key:sales', key: k, hash: 'h', answer: () => '{}' });

// A run on PostgreSQL reads every customer of the run in a few queries before deciding; what it
// reads must be exactly what the checks would have read one customer at a time.
describe.each(DIALECTS)('positions read in bulk for a run (%s)', (dialect) => {
  let t: TestStore;
  let services: Services;
  beforeAll(async () => {
    t = await freshStore(dialect);
    services = testServices(t.store, TODAY);
    await seedDemoBook(services, { customers: 40, months: 12 });
    // A policy of the store's own, so the prefetched one is read from its row, not built in.
    const draft = await createPolicyDraft(services, 'analyst', { ...DEFAULT_POLICY, name: 'prefetched' });
    await activatePolicy(services, { actor: 'manager', role: 'credit_manager' }, draft.version);
    await t.store.db
      .insertInto('idempotency_keys')
      .values({
        api_key_id: 'api_key:sales',
        idempotency_key: 'k-answered',
        request_hash: 'h',
        status_code: 201,
        response_json: '{}',
        created_at: '2026-03-31T00:00:00.000Z',
      })
      .execute();
  }, 120_000);
  afterAll(async () => t.dispose());

  it('gives every customer the position read one by one, and reads nothing more', async () => {
    const ids = (await t.store.db.selectFrom('customers').select('id').orderBy('id').execute()).map(
      (c) => c.id,
    );
    await t.store.db.transaction().execute(async (trx) => {
      const fromStore = storeReader(trx);
      const fail = () => Promise.reject(new Error('read after the prefetch'));
      // Only FX rates (and the policy, on SQLite) may still be read: prefetch covers every
      // customer's rows — on PostgreSQL in one statement, which brings the active policy too.
      const ratesAndPolicyOnly: PositionReader = {
        ...fromStore,
        customer: fail,
        balances: fail,
        overdue: fail,
        groupMembers: fail,
        limits: fail,
        ...(dialect === 'postgres' ? { policy: fail } : {}),
      };
      const cached = new CachingReader(ratesAndPolicyOnly);
      const order = await trx.selectFrom('orders').select('external_id').limit(1).executeTakeFirstOrThrow();
      const rows = await readPositionRows(trx, [...ids, 'cus_missing'], TODAY, {
        orderExternalIds: [order.external_id, 'ORD-NEW'],
        keys: [key('k-answered'), key('k-new'), { ...key('k-answered'), apiKeyId: 'api_key:other' }],
      });
      // The same read says which of a run's external ids are taken (only the existing order's) and
      // which of its keys are answered (only the recorded key, and only under its own principal).
      expect(rows.takenOrderExternalIds).toEqual([order.external_id]);
      expect(rows.recordedKeys).toEqual([{ api_key_id: 'api_key:sales', idempotency_key: 'k-answered' }]);
      cached.hold(rows, [...ids, 'cus_missing'], TODAY);
      const one: CreditPosition[] = [];
      for (const id of ids) {
        const expected = await creditPosition(fromStore, id, TODAY);
        expect(await creditPosition(cached, id, TODAY)).toEqual(expected);
        one.push(expected);
      }
      expect(await cached.policy()).toBe(await fromStore.policy());
      expect((await cached.policy()).version).toBeGreaterThan(0);
      await expect(creditPosition(cached, 'cus_missing', TODAY)).rejects.toMatchObject({
        code: 'customer_not_found',
      });
      // The book exercises what prefetch must cover: groups, overdue items, limits.
      expect(one.some((p) => p.group !== null)).toBe(true);
      expect(one.some((p) => p.overdueMinor > 0)).toBe(true);
      expect(one.some((p) => p.limit.totalMinor > 0)).toBe(true);
    });
  });
});
