import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importBytes } from '../../src/app/imports/import-file.js';
import type { ImportKindName } from '../../src/app/imports/kinds/index.js';
import type { ImportMode, ImportResult } from '../../src/app/imports/run-import.js';
import type { Services } from '../../src/app/services.js';
import { importCsv } from '../../src/cli/csv-import.js';
import { countRows } from '../support/invariants.js';
import { DIALECTS, freshStore, type TestStore, testServices } from '../support/stores.js';

const SAMPLES = join(import.meta.dirname, '../../docs/samples');
// In the order a book is loaded: who, what they owe, what they paid, then the rest.
const ORDER: ImportKindName[] = [
  'customers',
  'invoices',
  'payments',
  'credit-notes',
  'orders',
  'limits',
  'fx-rates',
  'signals',
  'cycle',
  'statements',
];
const dir = mkdtempSync(join(tmpdir(), 'fulcrum-import-modes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const problemsOf = (result: ImportResult) =>
  result.ok ? [] : result.problems.map((p) => [p.row, p.column, p.code]);

describe.each(DIALECTS)('imports that fit a nightly ERP extract (%s)', (dialect) => {
  let t: TestStore;
  let services: Services;
  const load = (kind: ImportKindName, text: string, mode: ImportMode = 'insert') =>
    importBytes(services, kind, `${kind}.csv`, Buffer.from(text), { actor: 'cli:test', mode });
  const sample = (kind: ImportKindName) => readFileSync(join(SAMPLES, `${kind}.csv`), 'utf8');

  beforeAll(async () => {
    t = await freshStore(dialect);
    services = testServices(t.store);
  });
  afterAll(async () => t.dispose());

  it('loads every sample file under docs/samples into an empty book, and an upsert of them all changes nothing', async () => {
    for (const kind of ORDER) {
      const result = await importCsv(services, kind, join(SAMPLES, `${kind}.csv`), {
        actor: 'cli:test',
        progress: false,
      });
      expect([kind, problemsOf(result)]).toEqual([kind, []]);
      expect(result.ok && result.imported).toBeGreaterThan(0);
    }
    const audit = await countRows(services.store, 'audit_events');
    for (const kind of ORDER.filter((k) => k !== 'signals' && k !== 'cycle')) {
      const rows = sample(kind).trim().split('\n').length - 1;
      expect([kind, await load(kind, sample(kind), 'upsert')]).toMatchObject([
        kind,
        { ok: true, imported: 0, updated: 0, unchanged: rows, skipped: 0 },
      ]);
    }
    expect(await countRows(services.store, 'audit_events')).toBe(audit);
    // Each customer's first trade is its earliest invoice, whatever order they came in.
    const since = await services.store.db
      .selectFrom('credit_profiles')
      .innerJoin('customers', 'customers.id', 'credit_profiles.customer_id')
      .select(['customers.external_id', 'credit_profiles.trading_since'])
      .orderBy('customers.external_id')
      .execute();
    expect(since.map((r) => [r.external_id, r.trading_since])).toEqual([
      ['C-1001', '2026-01-05'],
      ['C-1002', '2026-01-12'],
      ['C-1003', '2026-01-15'],
    ]);
    const requests = await services.store.db.selectFrom('limit_requests').select('status').execute();
    expect(requests.map((r) => r.status)).toEqual(['pending', 'pending', 'pending']);
  });

  it('skips rows already in the book with --skip-existing, and names them with a hint in insert mode', async () => {
    const file = `external_id,name,country,currency,segment
C-1001,Renamed Ltd,CN,CNY,mid
C-1004,杭州新客户贸易有限公司,CN,CNY,small
`;
    expect(problemsOf(await load('customers', file))).toEqual([[1, 'external_id', 'duplicate_external_id']]);
    expect(await load('customers', file, 'skip-existing')).toMatchObject({
      ok: true,
      imported: 1,
      skipped: 1,
    });
    const kept = await services.store.db
      .selectFrom('customers')
      .select('name')
      .where('external_id', '=', 'C-1001')
      .executeTakeFirstOrThrow();
    expect(kept.name).toBe('上海宏达电子科技有限公司');
  });

  it('upserts customers: what may change is updated, a column left out is left alone, a currency never changes', async () => {
    const refused = await load(
      'customers',
      `external_id,name,country,currency,segment,group_external_id
C-1001,上海宏达电子科技股份有限公司,CN,CNY,large,G-HONGDA
C-1003,"Atlas Trading, Inc.",US,EUR,large,
`,
      'upsert',
    );
    expect(problemsOf(refused)).toEqual([[2, 'currency', 'immutable_field']]);
    const result = await load(
      'customers',
      `external_id,name,country,currency,segment,group_external_id
C-1001,上海宏达电子科技股份有限公司,CN,CNY,large,G-HONGDA
C-1002,苏州宏达机械制造有限公司,CN,CNY,small,G-NEW
C-1003,"Atlas Trading, Inc.",US,USD,large,
`,
      'upsert',
    );
    expect(result).toMatchObject({ ok: true, imported: 0, updated: 2, unchanged: 1 });
    const rows = await services.store.db
      .selectFrom('customers')
      .leftJoin('customer_groups', 'customer_groups.id', 'customers.group_id')
      .select(['customers.external_id', 'customers.name', 'customers.segment', 'customers.sales_owner'])
      .select('customer_groups.external_id as group')
      .where('customers.external_id', 'in', ['C-1001', 'C-1002'])
      .orderBy('customers.external_id')
      .execute();
    expect(rows).toEqual([
      {
        external_id: 'C-1001',
        name: '上海宏达电子科技股份有限公司',
        segment: 'large',
        sales_owner: 'wang.fang',
        group: 'G-HONGDA',
      },
      {
        external_id: 'C-1002',
        name: '苏州宏达机械制造有限公司',
        segment: 'small',
        sales_owner: 'li.wei',
        group: 'G-NEW',
      },
    ]);
    const audited = await services.store.db
      .selectFrom('audit_events')
      .select('entity_id')
      .where('action', '=', 'customer.updated')
      .execute();
    expect(audited).toHaveLength(2);
  });

  it('refuses to edit a record of money, naming the field and the way to correct it', async () => {
    const changed = sample('invoices').replace('58000.50', '58000.00');
    const result = await load('invoices', changed, 'upsert');
    expect(problemsOf(result)).toEqual([[2, 'amount', 'immutable_field']]);
    expect(result.ok ? '' : result.problems[0]?.reason).toMatch(
      /"5800050" here and "5800000" in the file.*credit note/,
    );
  });

  it('moves orders forward on upsert (open → shipped) and refuses a move back', async () => {
    const shipped = sample('orders').replace(
      'SO-2026-0003,C-1002,2026-02-25,42000.00,CNY,open,',
      'SO-2026-0003,C-1002,2026-02-25,42000.00,CNY,shipped,2026-03-02',
    );
    expect(await load('orders', shipped, 'upsert')).toMatchObject({ ok: true, updated: 1, unchanged: 3 });
    const order = await services.store.db
      .selectFrom('orders')
      .select(['status', 'shipped_on'])
      .where('external_id', '=', 'SO-2026-0003')
      .executeTakeFirstOrThrow();
    expect(order).toEqual({ status: 'shipped', shipped_on: '2026-03-02' });
    const back = shipped.replace('120000.00,CNY,invoiced,2026-01-04', '120000.00,CNY,open,2026-01-04');
    expect(problemsOf(await load('orders', back, 'upsert'))).toEqual([[1, 'status', 'invalid_order_state']]);
  });

  it('raises a limit request only for a limit that differs from the one asked for last, and updates a day’s rate', async () => {
    const raised = sample('limits').replace('C-1002,150000.00', 'C-1002,180000.00');
    expect(await load('limits', raised, 'upsert')).toMatchObject({ ok: true, updated: 1, unchanged: 2 });
    const latest = await services.store.db
      .selectFrom('limit_requests')
      .select(['amount_minor', 'status'])
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(latest).toEqual({ amount_minor: 18_000_000, status: 'pending' });
    const rates = sample('fx-rates').replace('7.7810', '7.7900');
    expect(problemsOf(await load('fx-rates', rates))).toEqual([
      [1, 'base, quote, as_of', 'duplicate_external_id'],
      [2, 'base, quote, as_of', 'duplicate_external_id'],
      [3, 'base, quote, as_of', 'duplicate_external_id'],
    ]);
    expect(await load('fx-rates', rates, 'upsert')).toMatchObject({ ok: true, updated: 1, unchanged: 2 });
  });

  it('reports every problem of a row, reads a semicolon-separated file, and imports credit notes all or nothing', async () => {
    const twice = await load(
      'invoices',
      `external_id,customer_external_id,invoice_number,issue_date,due_date,amount,currency
INV-X1,NOPE,FP-X1,2026-02-31,2026-03-03,1.001,CNY
`,
    );
    expect(problemsOf(twice)).toEqual([
      [1, 'customer_external_id', 'unknown_customer'],
      [1, 'issue_date', 'invalid_date'],
      [1, 'amount', 'invalid_amount'],
    ]);
    const semicolons = await load('fx-rates', 'base;quote;as_of;rate\nUSD;CNY;2026-03-02;7.1600\n');
    expect(semicolons).toMatchObject({ ok: true, imported: 1, delimiter: ';' });
    const notes = `external_id,invoice_external_id,issued_on,amount,currency,reason
CN-X1,INV-2026-0002,2026-02-12,100.00,CNY,fits
CN-X2,INV-2026-0001,2026-02-12,999999.00,CNY,more than is open
CN-X3,INV-2026-0004,2026-02-12,1.00,CNY,wrong currency
`;
    const before = await countRows(services.store, 'credit_notes');
    expect(problemsOf(await load('credit-notes', notes))).toEqual([
      [2, 'amount', 'exceeds_open_amount'],
      [3, 'currency', 'currency_mismatch'],
    ]);
    expect(await countRows(services.store, 'credit_notes')).toBe(before);
  });
});

describe('the import command', () => {
  it('hints at the separator when the header reads as one column', async () => {
    const file = join(dir, 'colons.csv');
    writeFileSync(file, 'base:quote:as_of:rate\nUSD:CNY:2026-03-02:7.16\n');
    const t = await freshStore('sqlite');
    try {
      const result = await importCsv(testServices(t.store), 'fx-rates', file, {
        actor: 't',
        progress: false,
      });
      expect(result.ok ? '' : result.problems[0]?.reason).toMatch(
        /read as one column: is the file separated by commas/,
      );
    } finally {
      await t.dispose();
    }
  });
});
