import { describe, expect, it } from 'vitest';
import { placeOrder } from '../../src/app/credit/place-order.js';
import { createCustomers } from '../../src/app/customers/create-customers.js';
import { createInvoices } from '../../src/app/receivables/create-invoices.js';
import { recordPayments } from '../../src/app/receivables/record-payments.js';
import { expectLedgerBalances } from '../support/invariants.js';
import { DIALECTS, freshStore, testServices } from '../support/stores.js';

describe.each(DIALECTS)('concurrent orders, invoices and payments on one customer (%s)', (dialect) => {
  it('all commit, without deadlock, and the balances agree with the ledger', async () => {
    const t = await freshStore(dialect);
    try {
      const services = testServices(t.store);
      const [c] = await createCustomers(services, 't', [
        { externalId: 'MIX', name: 'Mix', country: 'CN', currency: 'CNY', segment: 'mid' },
      ]);
      const customerId = c?.id as string;
      await createInvoices(
        services,
        't',
        Array.from({ length: 20 }, (_, i) => ({
          customerId,
          externalId: `MIX-I${i}`,
          invoiceNumber: `I${i}`,
          issueDate: '2026-01-01',
          dueDate: '2026-01-31',
          amountMinor: 10_000,
          currency: 'CNY',
        })),
      );
      const work = [
        ...Array.from({ length: 40 }, (_, i) =>
          placeOrder(services, 'sales', {
            customerId,
            externalId: `MIX-O${i}`,
            amountMinor: 1_000,
            currency: 'CNY',
          }),
        ),
        ...Array.from({ length: 40 }, (_, i) =>
          recordPayments(services, 't', [
            {
              customerId,
              externalId: `MIX-P${i}`,
              paidOn: '2026-02-01',
              amountMinor: 3_000,
              currency: 'CNY',
            },
          ]),
        ),
        ...Array.from({ length: 20 }, (_, i) =>
          createInvoices(services, 't', [
            {
              customerId,
              externalId: `MIX-J${i}`,
              invoiceNumber: `J${i}`,
              issueDate: '2026-01-15',
              dueDate: '2026-02-14',
              amountMinor: 5_000,
              currency: 'CNY',
            },
          ]),
        ),
      ];
      const results = await Promise.allSettled(work);
      expect(
        results
          .filter((r) => r.status === 'rejected')
          .map((r) => String((r as PromiseRejectedResult).reason)),
      ).toEqual([]);
      await expectLedgerBalances(t.store);
    } finally {
      await t.dispose();
    }
  }, 60_000);
});
