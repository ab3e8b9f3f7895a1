import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockCustomer, customerBlocks, removeBlock } from '../../src/app/collections/blocks.js';
import { previewOrder } from '../../src/app/credit/place-order.js';
import { createCustomers } from '../../src/app/customers/create-customers.js';
import { createInvoices } from '../../src/app/receivables/create-invoices.js';
import { recordPayments } from '../../src/app/receivables/record-payments.js';
import type { Services } from '../../src/app/services.js';
import { DIALECTS, freshStore, scenarioServices, type TestStore } from '../support/stores.js';

const MANAGER = { actor: 'user:manager', role: 'credit_manager' };

/** A customer blacklisted for late payment, and one leaving, on a clock the test moves. */
describe.each(DIALECTS)('blacklist and exit (%s)', (dialect) => {
  let t: TestStore;
  let services: Services;
  let today = '2026-03-01';
  const ids: Record<string, string> = {};
  const codeOf = async (run: Promise<unknown>) =>
    run.then(
      () => 'ok',
      (e: { code: string }) => e.code,
    );

  beforeAll(async () => {
    t = await freshStore(dialect);
    services = scenarioServices(t.store, () => today);
    const customers = await createCustomers(
      services,
      'setup',
      ['LATE', 'EXIT'].map((k) => ({
        externalId: k,
        name: k,
        country: 'CN',
        currency: 'CNY',
        segment: 'mid' as const,
      })),
    );
    for (const c of customers) ids[c.externalId] = c.id;
    const invoices = await createInvoices(services, 'setup', [
      {
        customerId: ids.LATE as string,
        externalId: 'L1',
        invoiceNumber: 'L1',
        issueDate: '2026-01-01',
        dueDate: '2026-01-31',
        amountMinor: 100_000,
        currency: 'CNY',
      },
      {
        customerId: ids.EXIT as string,
        externalId: 'E1',
        invoiceNumber: 'E1',
        issueDate: '2026-02-01',
        dueDate: '2026-03-31',
        amountMinor: 70_000,
        currency: 'CNY',
      },
    ]);
    for (const i of invoices) ids[i.invoiceNumber] = i.id;
  });
  afterAll(async () => t?.dispose());

  it('1 Mar: blacklisting states its reason and conditions; new orders are declined for it', async () => {
    const block = await blockCustomer(services, 'user:analyst', ids.LATE as string, {
      kind: 'blacklist',
      reasonCode: 'persistent_late_payment',
      note: 'L1 a month overdue after three promises',
      conditions: { monthsClean: 3 },
    });
    ids.block = block.id;
    expect(block.conditions).toEqual({ allOverduePaid: true, monthsClean: 3 });
    const check = await previewOrder(services, {
      customerId: ids.LATE as string,
      externalId: 'CHK',
      amountMinor: 1,
      currency: 'CNY',
    });
    expect(check.decision.outcome).toBe('decline');
    expect(check.decision.reasons.map((r) => r.code)).toContain('customer_blacklisted');
    const again = blockCustomer(services, 'user:analyst', ids.LATE as string, {
      kind: 'exit',
      reasonCode: 'other',
      note: 'x',
    });
    expect(await codeOf(again)).toBe('already_blocked');
    const [view] = await customerBlocks(services, ids.LATE as string);
    expect(view?.unmetConditions).toEqual([
      '1 overdue invoice(s) still open',
      'not clean for 3 months: invoices are overdue today',
    ]);
  });

  it('15 Mar: paid, but late — the clean months start from the payment', async () => {
    today = '2026-03-15';
    await recordPayments(services, 'bank', [
      {
        customerId: ids.LATE as string,
        externalId: 'PL1',
        paidOn: '2026-03-15',
        amountMinor: 100_000,
        currency: 'CNY',
      },
    ]);
    expect(await codeOf(removeBlock(services, MANAGER, ids.block as string, 'paid'))).toBe(
      'removal_conditions_unmet',
    );
    const [view] = await customerBlocks(services, ids.LATE as string);
    expect(view?.unmetConditions).toEqual([
      'not clean for 3 months: last late payment on 2026-03-15, clean from 2026-06-15',
    ]);
  });

  it('15 Jun: three clean months; lifted only by someone other than whoever blocked', async () => {
    today = '2026-06-15';
    expect(
      await codeOf(
        removeBlock(services, { actor: 'user:analyst', role: 'credit_manager' }, ids.block as string, 'x'),
      ),
    ).toBe('four_eyes_violation');
    const lifted = await removeBlock(
      services,
      MANAGER,
      ids.block as string,
      'three clean months, account reviewed',
    );
    expect(lifted).toMatchObject({ status: 'removed', removedBy: 'user:manager' });
    const check = await previewOrder(services, {
      customerId: ids.LATE as string,
      externalId: 'CHK',
      amountMinor: 1,
      currency: 'CNY',
    });
    expect(check.decision.reasons.map((r) => r.code)).not.toContain('customer_blacklisted');
    expect(await codeOf(removeBlock(services, MANAGER, ids.block as string, 'again'))).toBe(
      'block_not_active',
    );
  });

  it('an exit stops new orders and shows what is left to collect until it is paid', async () => {
    const exit = await blockCustomer(services, 'user:analyst', ids.EXIT as string, {
      kind: 'exit',
      reasonCode: 'relationship_ended',
      note: 'buyer moved its sourcing to Vietnam',
      conditions: { monthsClean: 0 },
    });
    const check = await previewOrder(services, {
      customerId: ids.EXIT as string,
      externalId: 'CHK',
      amountMinor: 1,
      currency: 'CNY',
    });
    expect(check.decision.outcome).toBe('decline');
    expect((await customerBlocks(services, ids.EXIT as string))[0]).toMatchObject({
      kind: 'exit',
      openReceivables: [{ currency: 'CNY', openMinor: 70_000 }],
    });
    await recordPayments(services, 'bank', [
      {
        customerId: ids.EXIT as string,
        externalId: 'PE1',
        paidOn: '2026-06-15',
        amountMinor: 70_000,
        currency: 'CNY',
      },
    ]);
    expect((await customerBlocks(services, ids.EXIT as string))[0]).toMatchObject({
      id: exit.id,
      openReceivables: [],
    });
    const audit = await services.store.db
      .selectFrom('audit_events')
      .select('action')
      .where('action', 'in', [
        'customer.blacklisted',
        'customer.block_lifted',
        'customer.exit_started',
        'credit_profile.updated',
      ])
      .orderBy('seq')
      .execute();
    expect(audit.map((a) => a.action)).toEqual([
      'customer.blacklisted',
      'customer.block_lifted',
      'customer.exit_started',
    ]);
  });
});
