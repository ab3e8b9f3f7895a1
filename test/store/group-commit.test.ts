import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GroupCommit } from '../../src/store/group-commit.js';
import type { Executor } from '../../src/store/write.js';
import { freshStore, type TestStore } from '../support/stores.js';

describe('group commit (SQLite)', () => {
  let t: TestStore;
  beforeAll(async () => {
    t = await freshStore('sqlite');
  });
  afterAll(async () => t.dispose());

  const claim = (key: string) => (executor: Executor) =>
    executor
      .insertInto('idempotency_keys')
      .values({
        api_key_id: 'api_key:test',
        idempotency_key: key,
        request_hash: 'h',
        status_code: null,
        response_json: null,
        created_at: '2026-03-31T12:00:00.000Z',
      })
      .execute();

  it('writes that arrive together commit together; one that fails is its caller’s error only', async () => {
    const group = new GroupCommit(t.store.db);
    const results = await Promise.allSettled([
      group.run(claim('g-1')),
      group.run(claim('g-1')),
      group.run(claim('g-2')),
      group.run(async () => 'read-only'),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    expect((results[3] as PromiseFulfilledResult<string>).value).toBe('read-only');
    const keys = await t.store.db
      .selectFrom('idempotency_keys')
      .select('idempotency_key')
      .where('idempotency_key', 'like', 'g-%')
      .orderBy('idempotency_key')
      .execute();
    expect(keys.map((k) => k.idempotency_key)).toEqual(['g-1', 'g-2']);
  });

  it('a write queued while a commit runs goes into the next one', async () => {
    const group = new GroupCommit(t.store.db);
    const first = group.run(claim('n-1'));
    await new Promise((resolve) => setImmediate(resolve));
    const second = group.run(claim('n-2'));
    await Promise.all([first, second]);
    const count = await t.store.db
      .selectFrom('idempotency_keys')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('idempotency_key', 'like', 'n-%')
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(2);
  });
});
