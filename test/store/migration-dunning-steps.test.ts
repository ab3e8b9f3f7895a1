import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../src/store/migrate.js';
import { DIALECTS, freshStore, type TestStore } from '../support/stores.js';

/** Migration 013 folds the per-step dunning rows into one row per invoice and run, losing nothing. */
describe.each(DIALECTS)('migration 013: dunning steps (%s)', (dialect) => {
  let t: TestStore | undefined;
  afterEach(async () => t?.dispose());

  it('keeps every step with its run, outcome, days past due and open amount', async () => {
    t = await freshStore(dialect, '012_payment_plans');
    // biome-ignore lint/suspicious/noExplicitAny: the tables as they were before migration 013
    const db = t.store.db as any;
    const now = '2026-01-01T00:00:00.000Z';
    await db
      .insertInto('customers')
      .values({
        id: 'c1',
        external_id: 'C1',
        name: 'C',
        country: 'CN',
        currency: 'CNY',
        segment: 'mid',
        group_id: null,
        sales_owner: null,
        created_at: now,
        updated_at: now,
      })
      .execute();
    for (const id of ['i1', 'i2'])
      await db
        .insertInto('invoices')
        .values({
          id,
          external_id: id,
          customer_id: 'c1',
          order_id: null,
          invoice_number: id.toUpperCase(),
          issue_date: '2026-01-01',
          due_date: '2026-01-31',
          amount_minor: 1_000,
          currency: 'CNY',
          open_minor: 1_000,
          settled_on: null,
          created_at: now,
        })
        .execute();
    const action = (
      id: string,
      invoice: string,
      runOn: string,
      step: string,
      outcome: string,
      dpd: number,
    ) => ({
      id,
      run_on: runOn,
      customer_id: 'c1',
      invoice_id: invoice,
      step_id: step,
      action: 'email',
      strategy_version: 1,
      days_past_due: dpd,
      open_minor: 1_000,
      currency: 'CNY',
      message_id: null,
      outcome,
      created_at: now,
    });
    await db
      .insertInto('dunning_actions')
      .values([
        action('d1', 'i1', '2026-01-26', 'pre-due-reminder', 'taken', -5),
        action('d2', 'i1', '2026-03-02', 'second-reminder', 'taken', 30),
        action('d3', 'i1', '2026-03-02', 'first-reminder', 'superseded', 30),
        action('d4', 'i1', '2026-03-02', 'collector-call', 'taken', 30),
        action('d5', 'i2', '2026-03-02', 'formal-letter', 'taken', 30),
      ])
      .execute();

    expect(await migrateToLatest(t.store)).toContain('013_dunning_steps');
    const rows = await t.store.db
      .selectFrom('dunning_steps')
      .selectAll()
      .orderBy('invoice_id')
      .orderBy('run_on')
      .execute();
    expect(rows).toEqual([
      {
        invoice_id: 'i1',
        run_on: '2026-01-26',
        days_past_due: -5,
        open_minor: 1_000,
        taken: 'pre-due-reminder',
        superseded: '',
      },
      {
        invoice_id: 'i1',
        run_on: '2026-03-02',
        days_past_due: 30,
        open_minor: 1_000,
        taken: 'collector-call,second-reminder',
        superseded: 'first-reminder',
      },
      {
        invoice_id: 'i2',
        run_on: '2026-03-02',
        days_past_due: 30,
        open_minor: 1_000,
        taken: 'formal-letter',
        superseded: '',
      },
    ]);
    // The old table is gone: nothing can write per-step rows beside the new ones.
    await expect(sql`select count(*) from dunning_actions`.execute(t.store.db)).rejects.toThrow();
  });
});
