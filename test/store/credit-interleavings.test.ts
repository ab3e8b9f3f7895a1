import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { creditPosition } from '../../src/app/credit/credit-position.js';
import { decideHeldOrder } from '../../src/app/credit/decide-held-order.js';
import { decideLimitRequest, requestLimit } from '../../src/app/credit/limit-requests.js';
import { placeOrder } from '../../src/app/credit/place-order.js';
import { createCustomers } from '../../src/app/customers/create-customers.js';
import { moveOrder } from '../../src/app/orders/move-order.js';
import { createInvoices } from '../../src/app/receivables/create-invoices.js';
import { recordPayments } from '../../src/app/receivables/record-payments.js';
import type { Services } from '../../src/app/services.js';
import { expectLedgerBalances } from '../support/invariants.js';
import { DIALECTS, freshStore, type TestStore, testServices } from '../support/stores.js';

const manager = { actor: 'manager', role: 'credit_manager' };

const operation = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({ op: fc.constant('order' as const), amount: fc.integer({ min: 1, max: 600_000 }) }),
  },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('invoice' as const), pick: fc.nat() }) },
  {
    weight: 2,
    arbitrary: fc.record({ op: fc.constant('pay' as const), amount: fc.integer({ min: 1, max: 800_000 }) }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('release' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('cancel' as const), pick: fc.nat() }) },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('limit' as const),
      amount: fc.integer({ min: 0, max: 3_000_000 }),
    }),
  },
);

describe.each(DIALECTS)('random interleavings of credit operations (%s)', (dialect) => {
  let t: TestStore;
  let services: Services;
  let n = 0;
  beforeAll(async () => {
    t = await freshStore(dialect);
    services = testServices(t.store);
  });
  afterAll(async () => t.dispose());

  it('never approves past the limit in force, and exposure always equals the sum of its parts', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(operation, { minLength: 3, maxLength: 14 }), async (ops) => {
        n += 1;
        const [customer] = await createCustomers(services, 'test', [
          { externalId: `IL-${n}`, name: `Interleaved ${n}`, country: 'CN', currency: 'CNY', segment: 'mid' },
        ]);
        const customerId = customer?.id as string;
        const setLimit = async (amountMinor: number) => {
          const request = await requestLimit(services, 'analyst', {
            subjectType: 'customer',
            subjectId: customerId,
            kind: 'permanent',
            amountMinor,
            currency: 'CNY',
            reason: 'test',
          });
          await decideLimitRequest(services, manager, request.id, { approve: true, note: 'ok' });
        };
        await setLimit(1_000_000);
        let k = 0;
        for (const o of ops) {
          k += 1;
          const orders = await services.store.db
            .selectFrom('orders')
            .selectAll()
            .where('customer_id', '=', customerId)
            .orderBy('id')
            .execute();
          const pick = <T>(list: T[], i: number) => (list.length > 0 ? list[i % list.length] : undefined);
          if (o.op === 'order') {
            const before = await creditPosition(services.store.db, customerId, services.clock.today());
            const { decision } = await placeOrder(services, 'sales', {
              customerId,
              externalId: `IL-${n}-O${k}`,
              amountMinor: o.amount,
              currency: 'CNY',
            });
            if (
              (decision.outcome === 'approve' || decision.outcome === 'approve_with_conditions') &&
              decision.creditMinor > 0
            ) {
              expect(before.exposure.totalMinor + decision.creditMinor).toBeLessThanOrEqual(
                before.limit.totalMinor,
              );
            }
          } else if (o.op === 'invoice') {
            const order = pick(
              orders.filter((x) => x.status === 'open' || x.status === 'shipped'),
              o.pick,
            );
            if (order) {
              await createInvoices(services, 'test', [
                {
                  customerId,
                  externalId: `IL-${n}-I${k}`,
                  invoiceNumber: `I${k}`,
                  issueDate: '2026-03-01',
                  dueDate: '2026-03-31',
                  amountMinor: order.amount_minor,
                  currency: 'CNY',
                  orderId: order.id,
                },
              ]);
            }
          } else if (o.op === 'pay') {
            await recordPayments(services, 'test', [
              {
                customerId,
                externalId: `IL-${n}-P${k}`,
                paidOn: '2026-03-20',
                amountMinor: o.amount,
                currency: 'CNY',
              },
            ]);
          } else if (o.op === 'release') {
            const order = pick(
              orders.filter((x) => x.status === 'held'),
              o.pick,
            );
            if (order) await decideHeldOrder(services, manager, order.id, { release: true, note: 'test' });
          } else if (o.op === 'cancel') {
            const order = pick(
              orders.filter((x) => x.status === 'open' || x.status === 'held'),
              o.pick,
            );
            if (order) await moveOrder(services, 'test', order.id, 'cancel');
          } else {
            await setLimit(o.amount);
          }
          const position = await creditPosition(services.store.db, customerId, services.clock.today());
          expect(position.exposure.totalMinor).toBe(
            position.exposure.receivablesMinor +
              position.exposure.openOrdersMinor +
              position.exposure.shippedMinor,
          );
        }
        await expectLedgerBalances(services.store);
      }),
      { numRuns: dialect === 'sqlite' ? 40 : 15 },
    );
  }, 120_000);
});
