import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../db.js';

/**
 * The insured coverage may be a fraction of a percent (an 87.5 % indemnity): PostgreSQL kept it as
 * an integer and refused such a value (a 500 the fuzzer found); SQLite's integer affinity already
 * keeps a fraction as it is.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and do not use the current schema type
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  if (dialect === 'postgres')
    await sql`alter table credit_profiles alter column insured_coverage_percent type double precision`.execute(
      db,
    );
}
