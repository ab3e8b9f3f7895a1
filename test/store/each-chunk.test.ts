import { describe, expect, it } from 'vitest';
import { eachChunk, insertChunked } from '../../src/store/write.js';
import { DIALECTS, freshStore } from '../support/stores.js';

describe.each(DIALECTS)('a large read in chunks (%s)', (dialect) => {
  it('yields every row once, in chunks of at most a thousand, and leaves the connection free after', async () => {
    const t = await freshStore(dialect);
    try {
      const { db } = t.store;
      const rows = Array.from({ length: 2_345 }, (_, i) => ({
        principal: `p${String(i).padStart(5, '0')}`,
        seen_at: '2026-01-01T00:00:00.000Z',
      }));
      await insertChunked(db, 'notification_marks', rows);
      const sizes: number[] = [];
      const seen: string[] = [];
      for await (const chunk of eachChunk(
        db,
        db.selectFrom('notification_marks').select('principal').compile(),
      )) {
        sizes.push(chunk.length);
        for (const r of chunk) seen.push(r.principal);
      }
      expect(seen.sort()).toEqual(rows.map((r) => r.principal));
      expect(Math.max(...sizes)).toBeLessThanOrEqual(dialect === 'sqlite' ? 1_000 : 2_345);
      if (dialect === 'sqlite') expect(sizes).toEqual([1_000, 1_000, 345]);
      // Inside a transaction too, and the connection answers the next query.
      await db.transaction().execute(async (trx) => {
        let n = 0;
        for await (const chunk of eachChunk(
          trx,
          trx.selectFrom('notification_marks').select('principal').compile(),
        ))
          n += chunk.length;
        expect(n).toBe(2_345);
        await trx.deleteFrom('notification_marks').execute();
      });
      expect(await db.selectFrom('notification_marks').selectAll().execute()).toEqual([]);
    } finally {
      await t.dispose();
    }
  });
});
