import { sql } from 'kysely';
import type { Executor } from './write.js';

/**
 * SQLite only: a mark that moves with every change since it was last read — rows this connection
 * changed (total_changes) and commits by any other connection, e.g. the CLI importing beside the
 * server (data_version). Equal marks: nothing changed in between, so what was read still holds.
 */
export async function storeVersion(executor: Executor): Promise<string> {
  const { rows } = await sql<{ changes: number; version: number }>`
    select total_changes() as changes, data_version as version from pragma_data_version`.execute(executor);
  return `${rows[0]?.changes}/${rows[0]?.version}`;
}
