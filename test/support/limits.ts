import type { Executor } from '../../src/store/write.js';

/**
 * Active permanent limits in CNY, written straight into the store: a fixture for tests and
 * benchmarks about orders, not the request-and-approval flow that grants limits in use.
 */
export async function grantLimits(
  db: Executor,
  subjectIds: readonly string[],
  amountMinor: number,
  subjectType: 'customer' | 'group' = 'customer',
): Promise<void> {
  await db
    .insertInto('credit_limits')
    .values(
      subjectIds.map((id) => ({
        id: `lim_${id}`,
        subject_type: subjectType,
        subject_id: id,
        kind: 'permanent',
        amount_minor: amountMinor,
        currency: 'CNY',
        starts_on: '2000-01-01',
        expires_on: null,
        tiers_json: null,
        released_percent: 100,
        status: 'active',
        request_id: null,
        created_at: '2026-01-01T00:00:00.000Z',
      })),
    )
    .execute();
}
