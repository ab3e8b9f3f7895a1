import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../src/app/audit/verify-audit.js';
import { createCustomers } from '../../src/app/customers/create-customers.js';
import { GENESIS_HASH } from '../../src/core/audit/chain.js';
import type { Dialect } from '../../src/store/db.js';
import { DIALECTS, freshStore, testServices } from '../support/stores.js';

/** A store with 30 chained audit events, opened for tampering (PostgreSQL's guard trigger off). */
async function chainedStore(dialect: Dialect) {
  const t = await freshStore(dialect);
  const services = testServices(t.store);
  for (let batch = 0; batch < 3; batch++) {
    await createCustomers(
      services,
      `clerk-${batch}`,
      Array.from({ length: 10 }, (_, i) => ({
        externalId: `A${batch}-${i}`,
        name: `Audit ${batch}-${i}`,
        country: 'CN',
        currency: 'CNY',
        segment: 'small',
      })),
    );
  }
  return { t, db: t.store.db };
}

async function unguard(dialect: Dialect, db: Awaited<ReturnType<typeof chainedStore>>['db']) {
  if (dialect === 'postgres')
    await sql`alter table audit_events disable trigger audit_events_append_only`.execute(db);
}

describe.each(DIALECTS)('the audit hash chain (%s)', (dialect) => {
  it('verifies an untouched chain', async () => {
    const { t, db } = await chainedStore(dialect);
    try {
      expect(await verifyAuditChain(db)).toMatchObject({ ok: true, count: 30 });
    } finally {
      await t.dispose();
    }
  });

  it.each([
    [
      'an edited entry',
      12,
      'edited',
      async (db: Parameters<typeof unguard>[1]) => {
        await db.updateTable('audit_events').set({ actor: 'mallory' }).where('seq', '=', 12).execute();
      },
    ],
    [
      'a deleted entry',
      7,
      'deleted',
      async (db: Parameters<typeof unguard>[1]) => {
        await db.deleteFrom('audit_events').where('seq', '=', 7).execute();
      },
    ],
    [
      'a deleted last entry',
      30,
      'deleted',
      async (db: Parameters<typeof unguard>[1]) => {
        await db.deleteFrom('audit_events').where('seq', '=', 30).execute();
      },
    ],
    [
      'an appended forgery',
      31,
      'inserted',
      async (db: Parameters<typeof unguard>[1]) => {
        const last = await db
          .selectFrom('audit_events')
          .selectAll()
          .where('seq', '=', 30)
          .executeTakeFirstOrThrow();
        await db
          .insertInto('audit_events')
          .values({ ...last, seq: 31, prev_hash: last.hash, action: 'customer.deleted' })
          .execute();
      },
    ],
    [
      'two swapped entries',
      15,
      'reordered',
      async (db: Parameters<typeof unguard>[1]) => {
        const a = await db
          .selectFrom('audit_events')
          .selectAll()
          .where('seq', '=', 15)
          .executeTakeFirstOrThrow();
        const b = await db
          .selectFrom('audit_events')
          .selectAll()
          .where('seq', '=', 16)
          .executeTakeFirstOrThrow();
        // Swap the contents (with their links and hashes) but keep the positions.
        await db
          .updateTable('audit_events')
          .set({ ...b, seq: -1 })
          .where('seq', '=', 15)
          .execute();
        await db
          .updateTable('audit_events')
          .set({ ...a, seq: 16 })
          .where('seq', '=', 16)
          .execute();
        await db.updateTable('audit_events').set({ seq: 15 }).where('seq', '=', -1).execute();
      },
    ],
  ] as const)('names %s as the first bad entry', async (_what, seq, problem, tamper) => {
    const { t, db } = await chainedStore(dialect);
    try {
      await unguard(dialect, db);
      await tamper(db);
      expect(await verifyAuditChain(db)).toMatchObject({ ok: false, seq, problem });
    } finally {
      await t.dispose();
    }
  });

  it.each([
    ['emptied, with its head reset', 0],
    ['cut short, with its head rewound to the new last entry', 20],
  ] as const)(
    'a chain %s is intact as a chain but not beside its records: a failure',
    async (_what, keep) => {
      const { t, db } = await chainedStore(dialect);
      try {
        await unguard(dialect, db);
        await db.deleteFrom('audit_events').where('seq', '>', keep).execute();
        const last = await db
          .selectFrom('audit_events')
          .select('hash')
          .where('seq', '=', keep)
          .executeTakeFirst();
        await db
          .updateTable('audit_head')
          .set({ seq: keep, hash: last?.hash ?? GENESIS_HASH })
          .where('id', '=', 1)
          .execute();
        const verdict = await verifyAuditChain(db);
        expect(verdict).toMatchObject({ ok: false, problem: 'deleted' });
        expect(verdict.ok ? '' : verdict.detail).toMatch(
          /^customer \S+ exists but no audit entry records it/,
        );
      } finally {
        await t.dispose();
      }
    },
  );

  if (dialect === 'postgres') {
    it('the database refuses edits and deletions of audit rows', async () => {
      const { t, db } = await chainedStore(dialect);
      try {
        await expect(
          db.updateTable('audit_events').set({ actor: 'x' }).where('seq', '=', 1).execute(),
        ).rejects.toThrow(/append-only/);
        await expect(db.deleteFrom('audit_events').where('seq', '=', 1).execute()).rejects.toThrow(
          /append-only/,
        );
      } finally {
        await t.dispose();
      }
    });
  }
});
