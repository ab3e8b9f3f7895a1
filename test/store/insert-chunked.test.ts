import { afterEach, describe, expect, it } from 'vitest';
import { insertChunked, isPostgres } from '../../src/store/write.js';
import { DIALECTS, freshStore, type TestStore } from '../support/stores.js';

describe.each(DIALECTS)('bulk inserts (%s)', (dialect) => {
  let t: TestStore | undefined;
  afterEach(async () => t?.dispose());

  it('knows its dialect (the PostgreSQL fast path depends on it)', async () => {
    t = await freshStore(dialect);
    expect(isPostgres(t.store.db)).toBe(dialect === 'postgres');
    await t.store.db.transaction().execute(async (trx) => {
      expect(isPostgres(trx)).toBe(dialect === 'postgres');
    });
  });

  it('writes every row exactly across chunks, whatever its text or the size of its numbers', async () => {
    t = await freshStore(dialect);
    const row = (n: number) => ({
      id: `r${String(n).padStart(6, '0')}`,
      external_id: `E${n}`,
      // Quotes, backslashes, newlines and Chinese survive the trip (as JSON on PostgreSQL).
      name: n % 2 ? `O'Brien "Ltd" \\ ${n}\n第${n}号` : `Customer ${n}`,
      country: 'CN',
      currency: 'CNY',
      segment: 'mid',
      group_id: null,
      sales_owner: n % 3 ? null : `owner${n}`,
      registration_id: n % 4 ? null : `REG-${n}`,
      collector: n % 5 ? null : `collector${n}`,
      created_at: '2026-01-01T00:00:00.000Z',
      updated_at: '2026-01-01T00:00:00.000Z',
    });
    const rows = Array.from({ length: 12_345 }, (_, n) => row(n));
    let reported = 0;
    await insertChunked(t.store.db, 'customers', rows, (done) => {
      reported = done;
    });
    expect(reported).toBe(rows.length);
    const back = await t.store.db.selectFrom('customers').selectAll().orderBy('id').execute();
    expect(back).toEqual(rows);

    // Amounts up to the largest safe integer keep every digit.
    await insertChunked(t.store.db, 'invoices', [
      {
        id: 'i1',
        external_id: 'I1',
        customer_id: 'r000001',
        order_id: null,
        invoice_number: 'I-1',
        issue_date: '2026-01-01',
        due_date: '2026-01-31',
        amount_minor: Number.MAX_SAFE_INTEGER,
        currency: 'CNY',
        open_minor: Number.MAX_SAFE_INTEGER - 1,
        settled_on: null,
        created_at: '2026-01-01T00:00:00.000Z',
      },
    ]);
    const invoice = await t.store.db.selectFrom('invoices').selectAll().executeTakeFirstOrThrow();
    expect([invoice.amount_minor, invoice.open_minor]).toEqual([
      Number.MAX_SAFE_INTEGER,
      Number.MAX_SAFE_INTEGER - 1,
    ]);
  });
});
