import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Services } from '../../src/app/services.js';
import { importCsv } from '../../src/cli/csv-import.js';
import { type CountedTable, countRows, expectLedgerBalances } from '../support/invariants.js';
import { DIALECTS, freshStore, type TestStore, testServices } from '../support/stores.js';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'fulcrum-import-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function csv(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

const CUSTOMERS = `external_id,name,country,currency,segment,group_external_id,sales_owner
C1,上海宏达电子科技有限公司,CN,CNY,mid,G1,wang.fang
C2,"Atlas Trading, Inc.",US,USD,large,,
C3,苏州宏达机械制造有限公司,CN,CNY,small,G1,li.wei
`;
const INVOICES = `external_id,customer_external_id,invoice_number,issue_date,due_date,amount,currency
I1,C1,INV-1,2026-01-05,2026-02-04,1000.50,CNY
I2,C1,INV-2,2026-01-20,2026-02-19,2000,CNY
I3,C2,INV-3,2026-01-10,2026-03-11,5000.00,USD
`;
const PAYMENTS = `external_id,customer_external_id,invoice_external_id,paid_on,amount,currency
P1,C1,I2,2026-02-10,500,CNY
P2,C1,,2026-02-15,1500.50,CNY
P3,C2,I3,2026-03-01,5000,USD
`;

const count = (services: Services, table: CountedTable) => countRows(services.store, table);

describe.each(DIALECTS)('CSV import (%s)', (dialect) => {
  let t: TestStore;
  let services: Services;
  const options = { actor: 'cli:test', progress: false };

  beforeAll(async () => {
    t = await freshStore(dialect);
    services = testServices(t.store);
  });
  afterAll(async () => t.dispose());

  it('imports customers, invoices and payments, converting major units exactly', async () => {
    expect(await importCsv(services, 'customers', csv('c.csv', CUSTOMERS), options)).toMatchObject({
      ok: true,
      imported: 3,
      updated: 0,
    });
    expect(await importCsv(services, 'invoices', csv('i.csv', INVOICES), options)).toMatchObject({
      ok: true,
      imported: 3,
      updated: 0,
    });
    expect(await importCsv(services, 'payments', csv('p.csv', PAYMENTS), options)).toMatchObject({
      ok: true,
      imported: 3,
      updated: 0,
    });
    const invoices = await services.store.db
      .selectFrom('invoices')
      .select(['external_id', 'amount_minor', 'open_minor'])
      .orderBy('external_id')
      .execute();
    // P1 pays 500 on I2; P2 names no invoice: oldest-first it settles I1 (1000.50), the other 500.00 goes to I2.
    expect(invoices).toEqual([
      { external_id: 'I1', amount_minor: 100_050, open_minor: 0 },
      { external_id: 'I2', amount_minor: 200_000, open_minor: 100_000 },
      { external_id: 'I3', amount_minor: 500_000, open_minor: 0 },
    ]);
    const groups = await services.store.db
      .selectFrom('customers')
      .select('group_id')
      .where('external_id', 'in', ['C1', 'C3'])
      .execute();
    expect(new Set(groups.map((g) => g.group_id)).size).toBe(1);
    await expectLedgerBalances(services.store);
  });

  it('reports every bad row with its row, line and column, and writes nothing', async () => {
    const before = await Promise.all([count(services, 'invoices'), count(services, 'audit_events')]);
    const file = csv(
      'bad-invoices.csv',
      `external_id,customer_external_id,invoice_number,issue_date,due_date,amount,currency
I10,C1,INV-10,2026-02-01,2026-03-03,10.00,CNY
I11,NOPE,INV-11,2026-02-01,2026-03-03,10.00,CNY
I12,C1,INV-12,2026-02-31,2026-03-03,10.00,CNY
I13,C1,INV-13,2026-02-01,2026-03-03,10.001,CNY
I1,C1,INV-14,2026-02-01,2026-03-03,10.00,CNY
I15,C1,INV-15,2026-02-01,2026-01-03,10.00,CNY
`,
    );
    const result = await importCsv(services, 'invoices', file, options);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    // Form, reference and key problems in one pass, in row order.
    expect(result.problems.map((p) => [p.row, p.line, p.column, p.code])).toEqual([
      [2, 3, 'customer_external_id', 'unknown_customer'],
      [3, 4, 'issue_date', 'invalid_date'],
      [4, 5, 'amount', 'invalid_amount'],
      [5, 6, 'external_id', 'duplicate_external_id'],
      [6, 7, 'due_date', 'due_before_issue'],
    ]);
    const fixed = csv(
      'refs.csv',
      `external_id,customer_external_id,invoice_number,issue_date,due_date,amount,currency
I10,C1,INV-10,2026-02-01,2026-03-03,10.00,CNY
I11,NOPE,INV-11,2026-02-01,2026-03-03,10.00,CNY
I1,C1,INV-14,2026-02-01,2026-03-03,10.00,CNY
`,
    );
    const refs = await importCsv(services, 'invoices', fixed, options);
    expect(refs.ok ? [] : refs.problems.map((p) => [p.row, p.column, p.code])).toEqual([
      [2, 'customer_external_id', 'unknown_customer'],
      [3, 'external_id', 'duplicate_external_id'],
    ]);
    const after = await Promise.all([count(services, 'invoices'), count(services, 'audit_events')]);
    expect(after).toEqual(before);
  });

  it('imports readings of the economic-cycle indicator, each bad row named, a month read again revised', async () => {
    const bad = await importCsv(
      services,
      'cycle',
      csv('cycle-bad.csv', 'month,value\n2026-13,50\n2026-09,\n'),
      options,
    ).catch((error: { problems: { row: number; column: string; code: string }[] }) => error);
    expect((bad as { problems: unknown[] }).problems).toEqual([
      expect.objectContaining({ row: 1, column: 'month', code: 'invalid_month' }),
      expect.objectContaining({ row: 2, column: 'value', code: 'invalid_value' }),
    ]);
    await importCsv(
      services,
      'cycle',
      csv('cycle.csv', 'month,value,source\n2026-01,49.0,NBS PMI\n2026-02,50.4,NBS PMI\n'),
      options,
    );
    await importCsv(
      services,
      'cycle',
      csv('cycle-rev.csv', 'month,value,source\n2026-02,50.6,NBS PMI (revised)\n'),
      options,
    );
    const rows = await t.store.db
      .selectFrom('cycle_readings')
      .select(['month', 'value', 'source'])
      .orderBy('month')
      .execute();
    expect(rows.map((r) => [r.month, Number(r.value), r.source])).toEqual([
      ['2026-01', 49, 'NBS PMI'],
      ['2026-02', 50.6, 'NBS PMI (revised)'],
    ]);
  });

  it('names missing required columns (optional ones may be left out) and unparseable CSV', async () => {
    const missing = await importCsv(services, 'customers', csv('m.csv', 'external_id,name\nX,Y\n'), options);
    expect(missing.ok ? [] : missing.problems.map((p) => p.column)).toEqual([
      'country',
      'currency',
      'segment',
    ]);
    const bare = 'external_id,name,country,currency,segment\nC8,Bare Columns Ltd,CN,CNY,small\n';
    expect(await importCsv(services, 'customers', csv('bare.csv', bare), options)).toMatchObject({
      ok: true,
      imported: 1,
      updated: 0,
    });
    const bareRow = await services.store.db
      .selectFrom('customers')
      .select(['group_id', 'sales_owner'])
      .where('external_id', '=', 'C8')
      .executeTakeFirstOrThrow();
    expect(bareRow).toEqual({ group_id: null, sales_owner: null });
    const broken = await importCsv(
      services,
      'customers',
      csv('b.csv', 'external_id,name\n"unterminated,Y\n'),
      options,
    );
    expect(broken.ok ? '' : broken.problems[0]?.code).toBe('invalid_csv');
  });

  const refusal = async (name: string, bytes: Uint8Array | string, encoding?: 'gb18030' | 'latin1') => {
    const file = join(dir, name);
    writeFileSync(file, bytes);
    const result = await importCsv(services, 'customers', file, {
      ...options,
      ...(encoding ? { encoding } : {}),
    });
    return result.ok ? null : result.problems[0];
  };

  it('refuses text that is not what it claims, naming the line, and imports it under its encoding', async () => {
    const header = 'external_id,name,country,currency,segment,group_external_id,sales_owner\n';
    const latin1 = Buffer.concat([
      Buffer.from(`${header}L1,Caf`),
      Buffer.from([0xe9]),
      Buffer.from(',FR,EUR,mid,,\n'),
    ]);
    expect(await refusal('latin1.csv', latin1)).toMatchObject({
      code: 'invalid_encoding',
      reason: /^line 2 /,
    });
    const before = await count(services, 'customers');
    expect(await refusal('latin1-ok.csv', latin1, 'latin1')).toBeNull();
    const gbk = Buffer.concat([
      Buffer.from(`${header}G18,`),
      Buffer.from([0xc9, 0xcf, 0xba, 0xa3, 0xb9, 0xab, 0xcb, 0xbe]), // 上海公司
      Buffer.from(',CN,CNY,mid,,\n'),
    ]);
    expect(await refusal('gb.csv', gbk)).toMatchObject({ code: 'invalid_encoding' });
    expect(await refusal('gb-ok.csv', gbk, 'gb18030')).toBeNull();
    const names = await services.store.db
      .selectFrom('customers')
      .select('name')
      .where('external_id', 'in', ['L1', 'G18'])
      .orderBy('external_id')
      .execute();
    expect(names.map((n) => n.name)).toEqual(['上海公司', 'Café']);
    expect(await count(services, 'customers')).toBe(before + 2);
    expect(await refusal('nul.csv', `${header}N1,Nul\u0000Name,CN,CNY,mid,,\n`)).toMatchObject({
      code: 'invalid_text',
      reason: /^line 2 /,
    });
  });

  it('refuses an empty file, a header without rows, and a data line without a header', async () => {
    expect(await refusal('empty.csv', '')).toMatchObject({ code: 'empty_file' });
    expect(
      await refusal(
        'header.csv',
        'external_id,name,country,currency,segment,group_external_id,sales_owner\n',
      ),
    ).toMatchObject({ code: 'no_rows' });
    expect(await refusal('headless.csv', 'C9,Headless Ltd,CN,CNY,mid,,\n')).toMatchObject({
      code: 'missing_column',
    });
  });
});

describe('the fulcrum CLI', () => {
  const env = { ...process.env, FULCRUM_DATA_DIR: join(dir, 'data'), DATABASE_URL: '' };
  const cli = (...args: string[]) => run(process.execPath, ['bin/fulcrum.js', ...args], { env });

  it('imports a good file with exit 0, and exits 1 with a row report on a bad one', async () => {
    const ok = await cli('import', 'customers', csv('cli-c.csv', CUSTOMERS));
    expect(ok.stdout).toMatch(/imported 3 customers/);
    const again = await cli('import', 'customers', csv('cli-c.csv', CUSTOMERS)).catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect(again).toMatchObject({ code: 1 });
    expect((again as { stderr: string }).stderr).toMatch(
      /row 1 \(line 2\), column external_id: duplicate_external_id/,
    );
    const upsert = await cli('import', 'customers', csv('cli-c.csv', CUSTOMERS), '--mode', 'upsert');
    expect(upsert.stdout).toMatch(/imported 0 customers \(updated 0, unchanged 3, skipped 0\)/);
    const skip = await cli('import', 'customers', csv('cli-c.csv', CUSTOMERS), '--skip-existing');
    expect(skip.stdout).toMatch(/imported 0 customers \(updated 0, unchanged 0, skipped 3\)/);
    const both = await cli('import', 'customers', 'x.csv', '--skip-existing', '--mode', 'upsert').catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect(both).toMatchObject({ code: 2, stderr: expect.stringMatching(/exclude each other/) });
    const bad = await cli(
      'import',
      'customers',
      csv('cli-bad.csv', CUSTOMERS.replace(',US,USD,', ',US,XYZ,')),
    ).catch((error: { code: number; stderr: string }) => error);
    expect(bad).toMatchObject({ code: 1 });
    expect((bad as { stderr: string }).stderr).toMatch(/row 2 \(line 3\), column currency: invalid_currency/);
  });

  it('refuses an unknown import kind and a missing file as a wrong invocation (exit 2), creating nothing', async () => {
    const failure = await cli('import', 'shipments', 'x.csv').catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure).toMatchObject({ code: 2 });
    expect((failure as { stderr: string }).stderr).toMatch(/customers, invoices, payments, orders/);
    const fresh = join(dir, 'never-made');
    const missing = await run(
      process.execPath,
      ['bin/fulcrum.js', 'import', 'customers', join(dir, 'nope.csv')],
      {
        env: { ...env, FULCRUM_DATA_DIR: fresh },
      },
    ).catch((error: { code: number; stderr: string }) => error);
    expect(missing).toMatchObject({ code: 2 });
    expect((missing as { stderr: string }).stderr).toMatch(/nope\.csv: no such file/);
    expect(existsSync(fresh)).toBe(false);
    expect((await cli('--version')).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('imports orders as history (no check; invoiced unless a status says open) from CSV and XLSX', async () => {
    const customers = await cli(
      'import',
      'customers',
      csv('ord-c.csv', CUSTOMERS.replace(/^C(\d),/gm, 'OC$1,')),
    );
    expect(customers.stdout).toMatch(/imported 3 customers/);
    const orders = await cli(
      'import',
      'orders',
      csv(
        'orders.csv',
        'external_id,customer_external_id,ordered_on,amount,currency,status\nHO-1,OC1,2025-06-01,1200.00,CNY,\nHO-2,OC1,2026-03-01,300,CNY,open\n',
      ),
    );
    expect(orders.stdout).toMatch(/imported 2 orders/);
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('orders');
    sheet.addRow(['external_id', 'customer_external_id', 'ordered_on', 'amount', 'currency']);
    sheet.addRow(['HO-3', 'OC3', new Date(Date.UTC(2025, 11, 31)), 450.5, 'CNY']);
    const xlsx = join(dir, 'orders.xlsx');
    await workbook.xlsx.writeFile(xlsx);
    expect((await cli('import', 'orders', xlsx)).stdout).toMatch(/imported 1 orders/);
    const bad = await cli(
      'import',
      'orders',
      csv(
        'orders-bad.csv',
        'external_id,customer_external_id,ordered_on,amount,currency\nHO-8,OC1,2025-12-01,x,CNY\nHO-9,OC1,2025-13-01,5,CNY\n',
      ),
    ).catch((error: { code: number; stderr: string }) => error);
    expect(bad).toMatchObject({ code: 1 });
    expect((bad as { stderr: string }).stderr).toMatch(/row 1 \(line 2\), column amount: invalid_amount/);
    expect((bad as { stderr: string }).stderr).toMatch(/row 2 \(line 3\), column ordered_on: invalid_date/);
  });
});
