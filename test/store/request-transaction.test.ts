import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomers } from '../../src/app/customers/create-customers.js';
import type { Services } from '../../src/app/services.js';
import { DomainError } from '../../src/core/errors.js';
import { inOneTransaction } from '../../src/store/request-transaction.js';
import { DIALECTS, freshStore, type TestStore, testServices } from '../support/stores.js';

const customer = (n: string) => ({
  externalId: `RT-${n}`,
  name: `Held ${n}`,
  country: 'CN',
  currency: 'CNY',
  segment: 'mid' as const,
});

describe.each(DIALECTS)('a transaction held around a piece of work (%s)', (dialect) => {
  let t: TestStore;
  let services: Services;
  beforeAll(async () => {
    t = await freshStore(dialect);
    services = testServices(t.store);
  });
  afterAll(async () => t.dispose());

  const count = async (externalId: string) =>
    (await t.store.db.selectFrom('customers').select('id').where('external_id', '=', externalId).execute())
      .length;

  it('keeps what the work wrote invisible until commit, and loses it all on rollback', async () => {
    const held = await t.store.begin();
    await held.run(() => createCustomers(services, 'test', [customer('a')]));
    await held.rollback();
    expect(await count('RT-a')).toBe(0);

    const kept = await t.store.begin();
    await kept.run(() => createCustomers(services, 'test', [customer('b')]));
    await kept.commit();
    expect(await count('RT-b')).toBe(1);
  });

  it('turns the work’s own transactions into savepoints: a failed one undoes its part only', async () => {
    const held = await t.store.begin();
    await held.run(async () => {
      await createCustomers(services, 'test', [customer('c')]);
      await expect(
        services.store.db.transaction().execute(async (trx) => {
          await trx
            .insertInto('idempotency_keys')
            .values({
              api_key_id: 'k',
              idempotency_key: 'undone',
              request_hash: 'h',
              status_code: 200,
              response_json: '{}',
              created_at: 'now',
            })
            .execute();
          throw new DomainError('invalid_request', 'refused after a write');
        }),
      ).rejects.toThrow('refused after a write');
      // The same external id again: the store refuses it, and only that statement is undone.
      await expect(createCustomers(services, 'test', [customer('c')])).rejects.toThrow();
    });
    await held.commit();
    expect(await count('RT-c')).toBe(1);
    const undone = await t.store.db
      .selectFrom('idempotency_keys')
      .select('idempotency_key')
      .where('idempotency_key', '=', 'undone')
      .execute();
    expect(undone).toEqual([]);
  });

  it('held again from inside a held transaction, is a savepoint of it (never a second connection)', async () => {
    const outer = await t.store.begin();
    await outer.run(async () => {
      await inOneTransaction(t.store, () => createCustomers(services, 'test', [customer('g')]));
      await expect(
        inOneTransaction(t.store, async () => {
          await createCustomers(services, 'test', [customer('h')]);
          throw new DomainError('invalid_request', 'refused after a write');
        }),
      ).rejects.toThrow('refused after a write');
    });
    // On commit the first inner part is kept, the failed one is not.
    await outer.commit();
    expect(await count('RT-g')).toBe(1);
    expect(await count('RT-h')).toBe(0);
  });

  it('does not capture work outside `run`: it goes to the store as usual', async () => {
    const held = await t.store.begin();
    const outside = dialect === 'postgres' ? createCustomers(services, 'test', [customer('d')]) : null;
    await held.run(() => createCustomers(services, 'test', [customer('e')]));
    await held.rollback();
    await outside;
    // On SQLite the one connection is held, so outside work waits for the end instead.
    if (dialect === 'sqlite') await createCustomers(services, 'test', [customer('d')]);
    expect(await count('RT-d')).toBe(1);
    expect(await count('RT-e')).toBe(0);
  });
});
