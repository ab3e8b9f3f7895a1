import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApi, testApi } from '../support/api.js';
import { grantLimits } from '../support/limits.js';
import { walkPages } from '../support/pages.js';
import { DIALECTS } from '../support/stores.js';

// The test clock stands on 2026-03-31 12:00.
describe.each(DIALECTS)(
  'the blocked-order queue, sorted, filtered and paged on the server (%s)',
  (dialect) => {
    let api: TestApi;
    const customers: string[] = [];
    const held: { id: string; amountMinor: number; customerId: string }[] = [];

    const walk = (query: string, limit: number) =>
      walkPages<{ id: string; amountMinor: number }>(api, '/v1/orders/queue', query, limit);

    beforeAll(async () => {
      api = await testApi(dialect);
      for (const k of [0, 1]) {
        const id = (
          await api.call({
            method: 'POST',
            url: '/v1/customers',
            payload: {
              externalId: `Q-${k}`,
              name: `Queued ${k}`,
              country: 'CN',
              currency: 'CNY',
              segment: 'mid',
            },
          })
        ).json().id;
        customers.push(id);
      }
      await grantLimits(api.services.store.db, customers, 1_000_000);
      // Each order over the limit waits for review; placed an hour apart.
      for (const [k, amountMinor] of [1_300_000, 1_150_000, 1_500_000, 1_200_000].entries()) {
        const customerId = customers[k % 2] as string;
        const placed = await api.call({
          method: 'POST',
          url: '/v1/orders',
          payload: { customerId, externalId: `Q-O${k}`, amountMinor, currency: 'CNY' },
        });
        expect(placed.json().status, placed.body).toBe('held');
        held.push({ id: placed.json().id, amountMinor, customerId });
        api.services.clock.now = (
          (t) => () =>
            t
        )(new Date(api.services.clock.now().getTime() + 3_600_000));
      }
    });
    afterAll(async () => api.dispose());

    it('oldest first by default, or by amount either way, in pages of any size', async () => {
      const ids = (rows: { id: string }[]) => rows.map((r) => r.id);
      const byAmount = [...held].sort((a, b) => a.amountMinor - b.amountMinor);
      for (const limit of [1, 3, 50]) {
        expect(ids(await walk('', limit))).toEqual(ids(held));
        expect(ids(await walk('sort=-createdAt', limit))).toEqual(ids(held).reverse());
        expect(ids(await walk('sort=amount', limit))).toEqual(ids(byAmount));
        expect(ids(await walk('sort=-amount', limit))).toEqual(ids(byAmount).reverse());
      }
    });

    it("one customer's orders, and those past their review deadline", async () => {
      expect((await walk(`customerId=${customers[1]}`, 50)).map((r) => r.id)).toEqual(
        held.filter((h) => h.customerId === customers[1]).map((h) => h.id),
      );
      const late = await walk('overdueSla=true', 50);
      const inTime = await walk('overdueSla=false', 50);
      expect(late.length + inTime.length).toBe(held.length);
      for (const row of late) expect(row).toMatchObject({ overdueSla: true });
      for (const row of inTime) expect(row).toMatchObject({ overdueSla: false });
      // A week on, every one of them is late.
      api.services.clock.now = (
        (t) => () =>
          t
      )(new Date(api.services.clock.now().getTime() + 7 * 86_400_000));
      expect(await walk('overdueSla=true', 2)).toHaveLength(held.length);
    });
  },
);
