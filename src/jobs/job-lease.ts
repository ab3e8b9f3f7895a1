import { randomUUID } from 'node:crypto';
import type { Services } from '../app/services.js';

/** This process, as a lease holder. */
const HOLDER = `${process.pid}-${randomUUID()}`;
/** A lease outlives a process that died holding it by this long at most. */
const LEASE_MS = 3 * 3_600_000;

/**
 * Runs `work` only if no other process holds the job's lease (several servers share a PostgreSQL
 * book, and each schedules the same jobs): the lease is taken in one statement — a row that does
 * not exist, or one whose time ran out — and given back when the work ends. Null: another process
 * runs it.
 */
export async function underLease<T>(
  services: Services,
  job: string,
  work: () => Promise<T>,
): Promise<T | null> {
  const { db } = services.store;
  const now = services.clock.now();
  const until = new Date(now.getTime() + LEASE_MS).toISOString();
  await db
    .insertInto('job_leases')
    .values({ job, holder: HOLDER, until })
    .onConflict((oc) =>
      oc
        .column('job')
        .doUpdateSet({ holder: HOLDER, until })
        .where('job_leases.until', '<', now.toISOString()),
    )
    .execute();
  const lease = await db.selectFrom('job_leases').select('holder').where('job', '=', job).executeTakeFirst();
  if (lease?.holder !== HOLDER) return null;
  try {
    return await work();
  } finally {
    await db.deleteFrom('job_leases').where('job', '=', job).where('holder', '=', HOLDER).execute();
  }
}
