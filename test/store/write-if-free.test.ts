import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshStore, type TestStore } from '../support/stores.js';

// A write that may skip a beat (a job's progress) must never wait for SQLite's lock: the wait is
// synchronous, and the whole server would wait with it.
describe('writeIfFree (SQLite)', () => {
  let t: TestStore;
  beforeAll(async () => {
    t = await freshStore('sqlite');
  });
  afterAll(async () => t.dispose());

  const touch = () =>
    t.store.writeIfFree?.(
      t.store.db
        .updateTable('audit_head')
        .set((eb) => ({ seq: eb.ref('seq') }))
        .where('id', '=', 1)
        .compile(),
    );

  it('writes at once when the lock is free, and skips without waiting while another connection holds it', async () => {
    expect(touch()).toBe(1);
    const { rows } = await sql<{ file: string }>`select file from pragma_database_list`.execute(t.store.db);
    const other = new SQLite(rows[0]?.file as string);
    other.exec('begin immediate');
    other.prepare('update audit_head set seq = seq where id = 1').run();
    const started = performance.now();
    expect(touch()).toBeNull();
    expect(performance.now() - started).toBeLessThan(200);
    // Every other write still waits for the lock as before: the busy timeout is back.
    const { rows: timeout } = await sql<{ timeout: number }>`pragma busy_timeout`.execute(t.store.db);
    expect(timeout[0]?.timeout).toBe(5_000);
    other.exec('commit');
    other.close();
    expect(touch()).toBe(1);
  });

  it('skips inside a transaction of its own connection, whose commit it must not join', async () => {
    await t.store.db.transaction().execute(async () => {
      expect(touch()).toBeNull();
    });
    expect(touch()).toBe(1);
  });
});
