import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import {
  generateCheckpointKeys,
  parseCheckpoint,
  takeCheckpoint,
  verifyCheckpoint,
} from '../../src/app/audit/checkpoint.js';
import { verifyAuditChain } from '../../src/app/audit/verify-audit.js';
import { createCustomers } from '../../src/app/customers/create-customers.js';
import { entryText } from '../../src/core/audit/chain.js';
import { sha256 } from '../../src/store/audit.js';
import { DIALECTS, freshStore, testServices } from '../support/stores.js';

const customers = (prefix: string, n: number) =>
  Array.from({ length: n }, (_, i) => ({
    externalId: `${prefix}-${i}`,
    name: `Checkpoint ${prefix}-${i}`,
    country: 'CN',
    currency: 'CNY',
    segment: 'small' as const,
  }));

describe.each(DIALECTS)('signed audit checkpoints (%s)', (dialect) => {
  it('hold while the chain grows; catch a rewrite of the whole chain that the chain alone cannot', async () => {
    const t = await freshStore(dialect);
    try {
      const services = testServices(t.store);
      const { db } = t.store;
      await createCustomers(services, 'clerk', customers('A', 10));
      const keys = generateCheckpointKeys();
      const checkpoint = await takeCheckpoint(db, keys.privateKeyPem, services.clock.now());
      expect(checkpoint.seq).toBe(10);
      expect(parseCheckpoint(JSON.stringify(checkpoint))).toEqual(checkpoint);
      await createCustomers(services, 'clerk', customers('B', 5));
      expect(await verifyCheckpoint(db, checkpoint, keys.publicKeyPem)).toEqual({ ok: true });

      const forged = { ...checkpoint, seq: 9 };
      expect(await verifyCheckpoint(db, forged, keys.publicKeyPem)).toMatchObject({
        problem: 'bad_signature',
      });
      const other = generateCheckpointKeys();
      expect(await verifyCheckpoint(db, checkpoint, other.publicKeyPem)).toMatchObject({
        problem: 'wrong_key',
      });

      // Someone with write access edits entry 4 and recomputes every hash after it and the head.
      if (dialect === 'postgres')
        await sql`alter table audit_events disable trigger audit_events_append_only`.execute(db);
      await db.updateTable('audit_events').set({ actor: 'mallory' }).where('seq', '=', 4).execute();
      const rows = await db.selectFrom('audit_events').selectAll().orderBy('seq').execute();
      let prevHash = rows[2]?.hash as string;
      for (const row of rows.slice(3)) {
        const hash = sha256(
          entryText({
            seq: Number(row.seq),
            occurredAt: row.occurred_at,
            actor: row.actor,
            action: row.action,
            entityType: row.entity_type,
            entityId: row.entity_id,
            beforeJson: row.before_json,
            afterJson: row.after_json,
            prevHash,
          }),
        );
        await db
          .updateTable('audit_events')
          .set({ prev_hash: prevHash, hash })
          .where('seq', '=', row.seq)
          .execute();
        prevHash = hash;
      }
      await db.updateTable('audit_head').set({ hash: prevHash }).where('id', '=', 1).execute();
      expect(await verifyAuditChain(db)).toMatchObject({ ok: true, count: 15 });
      expect(await verifyCheckpoint(db, checkpoint, keys.publicKeyPem)).toMatchObject({
        ok: false,
        problem: 'rewritten',
      });
    } finally {
      await t.dispose();
    }
  });

  it('names what is missing from a damaged checkpoint file', () => {
    expect(() => parseCheckpoint('{')).toThrow('not JSON');
    expect(() => parseCheckpoint('{"seq":-1,"headHash":"x"}')).toThrow('seq, takenAt, keyId, signature');
  });
});
