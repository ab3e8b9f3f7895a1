import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isStoreBusy, withoutWaiting } from '../../src/store/db.js';
import { freshStore, type TestStore } from '../support/stores.js';

// Background writers that can try again (the webhook dispatcher, a job's progress beat) must never
// wait for SQLite's lock: the wait is synchronous, and the whole server would wait with it.
describe('withoutWaiting (SQLite)', () => {
  let t: TestStore;
  beforeAll(async () => {
    t = await freshStore('sqlite');
  });
  afterAll(async () => t.dispose());

  const touch = () =>
    t.store.db
      .updateTable('audit_head')
      .set((eb) => ({ seq: eb.ref('seq') }))
      .where('id', '=', 1)
      .executeTakeFirst();

  it('writes when the lock is free, and gives up at once while another connection holds it', async () => {
    expect(Number((await withoutWaiting(touch)).numUpdatedRows)).toBe(1);
    const { rows } = await sql<{ file: string }>`select file from pragma_database_list`.execute(t.store.db);
    const other = new SQLite(rows[0]?.file as string);
    other.exec('begin immediate');
    other.prepare('update audit_head set seq = seq where id = 1').run();
    const started = performance.now();
    const refused = await withoutWaiting(touch).catch((error: unknown) => error);
    expect(isStoreBusy(refused)).toBe(true);
    expect(performance.now() - started).toBeLessThan(200);
    await expect(withoutWaiting(() => t.store.db.transaction().execute(touch))).rejects.toSatisfy(
      isStoreBusy,
    );
    // Every other write still waits for the lock as before: the busy timeout is back.
    const { rows: timeout } = await sql<{ timeout: number }>`pragma busy_timeout`.execute(t.store.db);
    expect(timeout[0]?.timeout).toBe(5_000);
    other.exec('commit');
    other.close();
    expect(Number((await withoutWaiting(touch)).numUpdatedRows)).toBe(1);
  });
});
