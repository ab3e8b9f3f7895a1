import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../src/app/audit/verify-audit.js';
import { openStore } from '../../src/store/db.js';
import { ADMIN_KEY } from '../support/api.js';
import { startServer } from '../support/server-process.js';
import { PG_URL } from '../support/stores.js';

describe('two instances started at once on an empty PostgreSQL database', () => {
  const schema = `two_${randomBytes(5).toString('hex')}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'fulcrum-two-'));
  const servers: ChildProcess[] = [];
  afterAll(async () => {
    for (const s of servers) s.kill('SIGKILL');
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    await admin.query(`drop schema if exists ${schema} cascade`);
    await admin.end();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('give one intact demo book, and both serve it', async () => {
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    await admin.query(`create schema ${schema}`);
    await admin.end();
    const env = {
      DATABASE_URL: `${PG_URL}?options=${encodeURIComponent(`-c search_path=${schema}`)}`,
      FULCRUM_DEMO: '1',
      FULCRUM_BOOTSTRAP_KEY: ADMIN_KEY,
      FULCRUM_DATA_DIR: dataDir,
      FULCRUM_CHECKPOINT_CRON: 'off',
    };
    const [a, b] = await Promise.all([
      startServer({ env, timeoutMs: 300_000 }),
      startServer({ env, timeoutMs: 300_000 }),
    ]);
    servers.push(a.server, b.server);
    for (const { base } of [a, b]) {
      const page = await fetch(`${base}/v1/customers?limit=1`, {
        headers: { authorization: `Bearer ${ADMIN_KEY}` },
      });
      expect(page.status).toBe(200);
      expect(((await page.json()) as { items: unknown[] }).items).toHaveLength(1);
    }
    const store = openStore({ dialect: 'postgres', url: PG_URL, searchPath: schema });
    try {
      const customers = await store.db
        .selectFrom('customers')
        .select((eb) => [
          eb.fn.countAll<number>().as('n'),
          eb.fn.count<number>('external_id').distinct().as('ids'),
        ])
        .executeTakeFirstOrThrow();
      expect(Number(customers.n)).toBe(500);
      expect(Number(customers.ids)).toBe(500);
      expect(await verifyAuditChain(store.db)).toMatchObject({ ok: true });
    } finally {
      await store.close();
    }
  }, 400_000);
});
