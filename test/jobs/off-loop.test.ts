import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoBook } from '../../src/demo/seed.js';
import { runOffLoop } from '../../src/jobs/off-loop.js';
import { freshStore, type TestStore, testServices } from '../support/stores.js';

describe('heavy work off the event loop', () => {
  let t: TestStore;
  beforeAll(async () => {
    t = await freshStore('sqlite');
  });
  afterAll(async () => t.dispose());

  it('runs one task at a time on its own thread, keeps four waiting and refuses the next', async () => {
    const services = testServices(t.store);
    const window = { from: '2026-01-01', to: '2026-03-31' };
    const calls = Array.from({ length: 6 }, () =>
      runOffLoop(services, 'backtest', window, { minInvoices: 0 }),
    );
    const settled = await Promise.allSettled(calls);
    expect(settled.map((s) => s.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'fulfilled',
      'fulfilled',
      'rejected',
      'rejected',
    ]);
    expect(settled[0]).toMatchObject({ value: { from: '2026-01-01', customers: 0, defaulters: 0 } });
    expect(settled[4]).toMatchObject({ reason: { code: 'rate_limited' } });
  });

  it('runs a task on a small book in the calling thread, with the same answer', async () => {
    const window = { from: '2026-01-01', to: '2026-03-31' };
    expect(await runOffLoop(testServices(t.store), 'backtest', window)).toEqual(
      await runOffLoop(testServices(t.store), 'backtest', window, { minInvoices: 0 }),
    );
  });

  it('brings a refusal back from its thread with its code and field', async () => {
    await expect(
      runOffLoop(
        testServices(t.store),
        'backtest',
        { from: '2026-04-01', to: '2026-01-01' },
        { minInvoices: 0 },
      ),
    ).rejects.toMatchObject({
      code: 'invalid_range',
      field: 'from',
    });
  });

  it('runs the warning rules on a thread, writing through its own connection, as in the calling thread', async () => {
    const services = testServices(t.store);
    const onThread = await runOffLoop(services, 'monitoringRun', { actor: 'test' }, { minInvoices: 0 });
    expect(onThread).toMatchObject({ asOf: services.clock.today(), raised: 0 });
    const audited = await t.store.db
      .selectFrom('audit_events')
      .select('entity_type')
      .where('action', '=', 'monitoring.run')
      .execute();
    expect(audited).toEqual([{ entity_type: 'monitoring_run' }]);
    await expect(
      runOffLoop(services, 'monitoringRun', { actor: 'test', asOf: '2999-01-01' }, { minInvoices: 0 }),
    ).rejects.toMatchObject({ code: 'invalid_date', field: 'asOf' });
  });
});

describe('the scoring job off the event loop', () => {
  let t: TestStore;
  beforeAll(async () => {
    t = await freshStore('sqlite');
    await seedDemoBook(testServices(t.store), { customers: 30, months: 12 });
  });
  afterAll(async () => t.dispose());

  it('fits the model and scores every customer on a thread, writing through its own connection', async () => {
    const services = testServices(t.store);
    const onThread = await runOffLoop(services, 'scoring', { actor: 'test' }, { minInvoices: 0 });
    expect(onThread.customersScored).toBe(30);
    const champion = await t.store.db
      .selectFrom('models')
      .select('id')
      .where('purpose', '=', 'late_payment')
      .where('status', '=', 'champion')
      .execute();
    expect(champion).toEqual([{ id: onThread.modelId }]);
    const scored = await t.store.db
      .selectFrom('customer_scores')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('model_id', '=', onThread.modelId)
      .executeTakeFirstOrThrow();
    expect(Number(scored.n)).toBe(30);
  });
});
