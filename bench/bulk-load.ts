/**
 * Loading a large book straight into the tables for a benchmark (it measures reports, not
 * imports), into a scratch SQLite file or a scratch PostgreSQL schema (DATABASE_URL), and timing.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { openStore, type Store } from '../src/store/db.js';
import { migrateToLatest } from '../src/store/migrate.js';

/** One table's rows, with the PostgreSQL type of each column for `unnest`. */
export interface TableLoad {
  readonly table: string;
  readonly columns: string;
  readonly types: readonly string[];
  readonly rows: unknown[][];
}

function loadSqlite(file: string, tables: readonly TableLoad[]): void {
  const db = new SQLite(file);
  for (const { table, columns, rows } of tables) {
    const statement = db.prepare(
      `insert into ${table} (${columns}) values (${columns
        .split(',')
        .map(() => '?')
        .join(', ')})`,
    );
    db.transaction(() => {
      for (const row of rows) statement.run(...row);
    })();
  }
  db.pragma('optimize');
  db.close();
}

async function loadPostgres(client: pg.Client, tables: readonly TableLoad[]): Promise<void> {
  for (const { table, columns, types, rows } of tables)
    for (let start = 0; start < rows.length; start += 50_000) {
      const chunk = rows.slice(start, start + 50_000);
      const arrays = types.map((_, k) => chunk.map((r) => r[k]));
      await client.query(
        `insert into ${table} (${columns}) select * from unnest(${types.map((t, k) => `$${k + 1}::${t}[]`).join(', ')})`,
        arrays,
      );
    }
  // What autovacuum does after a bulk load: statistics, and the visibility map index-only scans need.
  await client.query('vacuum analyze');
}

/** A migrated scratch store holding the tables; the rows can be let go once this returns. */
export async function loadedStore(
  tables: readonly TableLoad[],
  pgUrl = process.env.DATABASE_URL,
): Promise<{ store: Store; cleanup: () => Promise<void> }> {
  if (!pgUrl) {
    const dir = mkdtempSync(join(tmpdir(), 'fulcrum-bench-'));
    const file = join(dir, 'fulcrum.db');
    const migrating = openStore({ dialect: 'sqlite', file });
    await migrateToLatest(migrating);
    await migrating.close();
    loadSqlite(file, tables);
    const store = openStore({ dialect: 'sqlite', file });
    return {
      store,
      cleanup: async () => {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: pgUrl });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  const store = openStore({ dialect: 'postgres', url: pgUrl, searchPath: schema });
  await migrateToLatest(store);
  await admin.query(`set search_path = ${schema}`);
  await loadPostgres(admin, tables);
  return {
    store,
    cleanup: async () => {
      await store.close();
      await admin.query(`drop schema ${schema} cascade`);
      await admin.end();
    },
  };
}

/** The median of `repeat` runs, and the last result. */
export async function timed<T>(run: () => Promise<T>, repeat = 1): Promise<{ seconds: number; result: T }> {
  const times: number[] = [];
  let result: T | undefined;
  for (let k = 0; k < repeat; k++) {
    const started = performance.now();
    result = await run();
    times.push((performance.now() - started) / 1000);
  }
  times.sort((a, b) => a - b);
  return { seconds: times[Math.floor(times.length / 2)] ?? 0, result: result as T };
}

export const CUSTOMER_COLUMNS =
  'id, external_id, name, country, currency, segment, group_id, sales_owner, created_at, updated_at';
export const CUSTOMER_TYPES = [
  'text',
  'text',
  'text',
  'text',
  'text',
  'text',
  'text',
  'text',
  'text',
  'text',
];
export const PROFILE_COLUMNS = 'customer_id, risk_class, blacklisted, stop_supply, updated_at';
export const PROFILE_TYPES = ['text', 'text', 'int', 'int', 'text'];
export const INVOICE_COLUMNS =
  'id, external_id, customer_id, order_id, invoice_number, issue_date, due_date, amount_minor, currency, open_minor, settled_on, created_at';
export const INVOICE_TYPES = [
  'text',
  'text',
  'text',
  'text',
  'text',
  'text',
  'text',
  'int8',
  'text',
  'int8',
  'text',
  'text',
];

export const PAYMENT_COLUMNS =
  'id, external_id, customer_id, paid_on, amount_minor, currency, unapplied_minor, created_at';
export const PAYMENT_TYPES = ['text', 'text', 'text', 'text', 'int8', 'text', 'int8', 'text'];
export const ALLOCATION_COLUMNS = 'id, payment_id, invoice_id, amount_minor, applied_on, created_at';
export const ALLOCATION_TYPES = ['text', 'text', 'text', 'int8', 'text', 'text'];

/** `count` mid-sized CNY customers `cus_0000000…` with profiles spread over the risk classes. */
export function benchCustomers(count: number, created: string) {
  const customers: unknown[][] = [];
  const profiles: unknown[][] = [];
  for (let c = 0; c < count; c++) {
    const id = `cus_${String(c).padStart(7, '0')}`;
    customers.push([
      id,
      `BC${c}`,
      `Bench Customer ${c}`,
      'CN',
      'CNY',
      'mid',
      null,
      `owner${c % 40}`,
      created,
      created,
    ]);
    profiles.push([id, 'ABCDE'[c % 5], 0, 0, created]);
  }
  return { customers, profiles };
}

/** A seeded linear congruential generator: the same book on every run. */
export function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state;
  };
}
