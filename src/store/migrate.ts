import { type Migration, type MigrationProvider, Migrator } from 'kysely';
import type { Store } from './db.js';
import * as core from './migrations/001_core.js';
import * as credit from './migrations/002_credit.js';

/** Migrations are listed here, in order, so the bundle needs no directory scan at run time. */
function provider(store: Store): MigrationProvider {
  const all: Record<string, Migration> = {
    '001_core': { up: (db) => core.up(db, store.dialect) },
    '002_credit': { up: (db) => credit.up(db) },
  };
  return { getMigrations: async () => all };
}

export async function migrateToLatest(store: Store): Promise<string[]> {
  // Kysely looks for its bookkeeping tables in every schema unless told which one is ours.
  const migrator = new Migrator({
    db: store.db,
    provider: provider(store),
    ...(store.schema ? { migrationTableSchema: store.schema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
