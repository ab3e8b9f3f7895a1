import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { Services } from '../../src/app/services.js';
import type { Clock, IdGenerator } from '../../src/core/ports.js';
import { type BusinessDate, parseBusinessDate } from '../../src/core/time/business-date.js';
import { type Dialect, openStore, type Store } from '../../src/store/db.js';
import { migrateTo, migrateToLatest } from '../../src/store/migrate.js';

/** The same suites run against both stores; PostgreSQL is the real server CI starts. */
export const DIALECTS: readonly Dialect[] = ['sqlite', 'postgres'];
export const PG_URL = process.env.FULCRUM_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestStore {
  readonly store: Store;
  /** Drops what the store created: the temp file, or the PostgreSQL schema. */
  dispose(): Promise<void>;
}

/**
 * A fresh, migrated store: a temp SQLite file, or a private schema in the test PostgreSQL database.
 * `upTo` stops at that migration (to test a later one on data written before it).
 */
export async function freshStore(dialect: Dialect, upTo?: string): Promise<TestStore> {
  const migrate = (store: Store) => (upTo ? migrateTo(store, upTo) : migrateToLatest(store));
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'fulcrum-test-'));
    const store = openStore({ dialect: 'sqlite', file: join(dir, 'fulcrum.db') });
    await migrate(store);
    return {
      store,
      dispose: async () => {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const store = openStore({ dialect: 'postgres', url: PG_URL, searchPath: schema });
  await migrate(store);
  return {
    store,
    dispose: async () => {
      await store.close();
      const cleanup = new pg.Client({ connectionString: PG_URL });
      await cleanup.connect();
      await cleanup.query(`drop schema ${schema} cascade`);
      await cleanup.end();
    },
  };
}

/** A clock standing still on one business date, at noon UTC. */
export function fixedClock(today: string): Clock {
  const date = parseBusinessDate(today, 'today');
  return { now: () => new Date(`${date}T12:00:00.000Z`), today: () => date as BusinessDate };
}

/** Sequential ids that sort in creation order, like ULIDs do. */
export function sequentialIds(): IdGenerator {
  let n = 0;
  return { next: (prefix) => `${prefix}_${String(++n).padStart(10, '0')}` };
}

/** Services whose clock follows a scenario's simulated day (read at each call), at 09:00 UTC. */
export function scenarioServices(store: Store, day: () => string): Services {
  return {
    store,
    clock: { today: () => day() as BusinessDate, now: () => new Date(`${day()}T09:00:00.000Z`) },
    ids: sequentialIds(),
  };
}

export function testServices(store: Store, today = '2026-03-31'): Services {
  return { store, clock: fixedClock(today), ids: sequentialIds() };
}
