import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDunning } from '../../src/app/collections/dunning-run.js';
import { createPaymentPlan, listPaymentPlans } from '../../src/app/collections/payment-plans.js';
import { previewOrder } from '../../src/app/credit/place-order.js';
import { createCustomers } from '../../src/app/customers/create-customers.js';
import { createInvoices } from '../../src/app/receivables/create-invoices.js';
import { recordPayments } from '../../src/app/receivables/record-payments.js';
import type { Services } from '../../src/app/services.js';
import type { BusinessDate } from '../../src/core/time/business-date.js';
import { DIALECTS, freshStore, scenarioServices, type TestStore } from '../support/stores.js';

/** Payment plans on a clock the test moves: kept, broken (dunning resumes), completed. */
describe.each(DIALECTS)('payment plans (%s)', (dialect) => {
  let t: TestStore;
  let services: Services;
  let today = '2026-03-01';
  const ids: Record<string, string> = {};
  const run = (on: string) => {
    today = on;
    return runDunning(services, 'scheduler', null, on as BusinessDate);
  };
  const pay = (customer: string, externalId: string, amountMinor: number) =>
    recordPayments(services, 'bank', [
      { customerId: ids[customer] as string, externalId, paidOn: today, amountMinor, currency: 'CNY' },
    ]);
  const actionsOn = async (on: string) =>
    (
      await services.store.db
        .selectFrom('dunning_steps as s')
        .innerJoin('invoices as i', 'i.id', 's.invoice_id')
        .select('i.invoice_number')
        .where('s.run_on', '=', on)
        .where('s.taken', '!=', '')
        .execute()
    ).map((s) => s.invoice_number);

  beforeAll(async () => {
    t = await freshStore(dialect);
    services = scenarioServices(t.store, () => today);
    for (const c of await createCustomers(
      services,
      'setup',
      ['P', 'Q'].map((k) => ({
        externalId: k,
        name: `Plan ${k}`,
        country: 'CN',
        currency: 'CNY',
        segment: 'mid' as const,
      })),
    ))
      ids[c.externalId] = c.id;
    for (const i of await createInvoices(services, 'setup', [
      {
        customerId: ids.P as string,
        externalId: 'P1',
        invoiceNumber: 'P1',
        issueDate: '2026-01-01',
        dueDate: '2026-01-31',
        amountMinor: 60_000,
        currency: 'CNY',
      },
      {
        customerId: ids.P as string,
        externalId: 'P2',
        invoiceNumber: 'P2',
        issueDate: '2026-01-10',
        dueDate: '2026-02-10',
        amountMinor: 30_000,
        currency: 'CNY',
      },
      {
        customerId: ids.Q as string,
        externalId: 'Q1',
        invoiceNumber: 'Q1',
        issueDate: '2026-01-01',
        dueDate: '2026-01-31',
        amountMinor: 20_000,
        currency: 'CNY',
      },
    ]))
      ids[i.invoiceNumber] = i.id;
  });
  afterAll(async () => t?.dispose());

  it('1 Mar: overdue invoices become 3 instalments; new orders are held; dunning leaves them alone', async () => {
    const plan = await createPaymentPlan(services, 'user:collector', ids.P as string, {
      invoiceIds: [ids.P1 as string, ids.P2 as string],
      instalments: 3,
      firstDueOn: '2026-03-15',
      graceDays: 5,
      annualRatePercent: 6,
      freezeSupply: true,
      note: 'cash squeeze after a customer of theirs failed',
    });
    ids.plan = plan.id;
    expect(plan.instalments.map((i) => [i.dueOn, i.principalMinor])).toEqual([
      ['2026-03-15', 30_000],
      ['2026-04-14', 30_000],
      ['2026-05-14', 30_000],
    ]);
    const check = await previewOrder(services, {
      customerId: ids.P as string,
      externalId: 'X',
      amountMinor: 1,
      currency: 'CNY',
    });
    expect(check.decision.reasons.map((r) => r.code)).toContain('stop_supply');
    const again = createPaymentPlan(services, 'user:collector', ids.P as string, {
      invoiceIds: [ids.P1 as string],
      instalments: 1,
      firstDueOn: '2026-03-15',
      note: 'twice',
    });
    await expect(again).rejects.toMatchObject({ code: 'already_in_plan' });
    const summary = await run('2026-03-01');
    expect(summary.pausedByPlan).toBe(2);
    expect(await actionsOn('2026-03-01')).not.toContain('P1');
  });

  it('21 Mar: the first instalment paid within grace keeps the plan', async () => {
    today = '2026-03-18';
    await pay('P', 'PP1', 30_000);
    const summary = await run('2026-03-21');
    expect(summary).toMatchObject({ plansBroken: 0, pausedByPlan: 2 });
    const [plan] = (await listPaymentPlans(services, { customerId: ids.P as string })).items;
    expect(plan).toMatchObject({ status: 'active', paidMinor: 30_000 });
  });

  it('20 Apr: the second instalment missed past grace breaks the plan, alerts the collector and dunning resumes', async () => {
    const summary = await run('2026-04-20');
    expect(summary).toMatchObject({ plansBroken: 1, pausedByPlan: 0 });
    const [plan] = (await listPaymentPlans(services, { customerId: ids.P as string })).items;
    expect(plan).toMatchObject({ status: 'broken', endedOn: '2026-04-20' });
    const tasks = await services.store.db
      .selectFrom('collection_tasks')
      .select(['customer_id', 'kind', 'reason'])
      .where('customer_id', '=', ids.P as string)
      .execute();
    expect(tasks).toContainEqual({
      customer_id: ids.P,
      kind: 'broken_promise',
      reason: `payment plan ${ids.plan} broken: instalment 2 not paid`,
    });
    expect(await actionsOn('2026-04-20')).toEqual(expect.arrayContaining(['P1', 'P2']));
  });

  it('a plan paid in full is completed and lifts the stop supply it set — not one dunning set', async () => {
    today = '2026-04-20';
    // Q has been overdue since January: dunning stopped its supply before any plan.
    const stopped = await services.store.db
      .selectFrom('credit_profiles')
      .select(['customer_id', 'stop_supply'])
      .where('customer_id', 'in', [ids.Q as string])
      .executeTakeFirstOrThrow();
    expect(stopped.stop_supply).toBe(1);
    const [r] = await createCustomers(services, 'setup', [
      { externalId: 'R', name: 'Plan R', country: 'CN', currency: 'CNY', segment: 'mid' },
    ]);
    const [r1] = await createInvoices(services, 'setup', [
      {
        customerId: r?.id as string,
        externalId: 'R1',
        invoiceNumber: 'R1',
        issueDate: '2026-04-01',
        dueDate: '2026-04-15',
        amountMinor: 20_000,
        currency: 'CNY',
      },
    ]);
    for (const [customer, invoice] of [
      [ids.Q, ids.Q1],
      [r?.id, r1?.id],
    ])
      await createPaymentPlan(services, 'user:collector', customer as string, {
        invoiceIds: [invoice as string],
        instalments: 2,
        firstDueOn: '2026-05-01',
        freezeSupply: true,
        note: 'two halves',
      });
    ids.R = r?.id as string;
    today = '2026-04-25';
    await pay('Q', 'PQ1', 20_000);
    await pay('R', 'PR1', 20_000);
    const summary = await run('2026-04-26');
    expect(summary.plansCompleted).toBe(2);
    const flags = await services.store.db
      .selectFrom('credit_profiles')
      .select(['customer_id', 'stop_supply'])
      .where('customer_id', 'in', [ids.Q as string, ids.R])
      .execute();
    expect(Object.fromEntries(flags.map((f) => [f.customer_id, f.stop_supply]))).toEqual({
      [ids.Q as string]: 1,
      [ids.R]: 0,
    });
  });
});
