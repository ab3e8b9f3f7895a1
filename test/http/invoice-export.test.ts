import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTable } from '../../src/app/exports/stream-table.js';
import { createInvoices } from '../../src/app/receivables/create-invoices.js';
import type { CurrencyCode } from '../../src/core/money/currency.js';
import type { BusinessDate } from '../../src/core/time/business-date.js';
import { type TestApi, testApi } from '../support/api.js';
import { DIALECTS } from '../support/stores.js';

describe.each(DIALECTS)('the whole invoice ledger, streamed as CSV and XLSX (%s)', (dialect) => {
  let api: TestApi;
  const amounts = [12_345, 100_000_00, 1];
  beforeAll(async () => {
    api = await testApi(dialect);
    const customer = (
      await api.call({
        method: 'POST',
        url: '/v1/customers',
        payload: { externalId: 'IE-1', name: '=杭州出口', country: 'CN', currency: 'CNY', segment: 'mid' },
      })
    ).json();
    // More than one page of the ledger's reads (5,000): 5,003 invoices.
    const many = Array.from({ length: 5_003 }, (_, i) => ({
      customerId: customer.id,
      externalId: `IE-${i}`,
      invoiceNumber: `N-${i}`,
      issueDate: '2026-03-01' as BusinessDate,
      dueDate: '2026-03-31' as BusinessDate,
      amountMinor: amounts[i % 3] as number,
      currency: 'CNY' as CurrencyCode,
    }));
    for (let start = 0; start < many.length; start += 1_000)
      await createInvoices(api.services, 'test', many.slice(start, start + 1_000));
  }, 120_000);
  afterAll(async () => api.dispose());

  it('XLSX: every invoice once, amounts in major units that sum to the ledger, names never a formula', async () => {
    const xlsx = await api.call({ method: 'GET', url: '/v1/invoices/export?format=xlsx' });
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers['content-disposition']).toBe('attachment; filename="invoices.xlsx"');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0];
    if (!sheet) throw new Error('the workbook has no sheet');
    expect(sheet.rowCount).toBe(5_004);
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    const column = (name: string) => header.indexOf(name) + 1;
    const ids = new Set<unknown>();
    let total = 0;
    for (let r = 2; r <= sheet.rowCount; r++) {
      const row = sheet.getRow(r);
      ids.add(row.getCell(column('externalId')).value);
      total += Math.round(Number(row.getCell(column('amount')).value) * 100);
    }
    expect(ids.size).toBe(5_003);
    const expected = Array.from({ length: 5_003 }, (_, i) => amounts[i % 3] as number).reduce(
      (s, x) => s + x,
      0,
    );
    expect(total).toBe(expected);
    expect(sheet.getRow(2).getCell(column('customerName')).value).toBe("'=杭州出口");
  });

  it('CSV with a BOM, and the filters of the list (status, customer)', async () => {
    const csv = await api.call({
      method: 'GET',
      url: '/v1/invoices/export',
      headers: { accept: 'text/csv' },
    });
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.body.startsWith('\uFEFF')).toBe(true);
    expect(csv.body.trim().split('\n')).toHaveLength(5_004);
    const settled = await api.call({ method: 'GET', url: '/v1/invoices/export?format=csv&status=settled' });
    expect(settled.body.trim().split('\n')).toHaveLength(1); // the header: nothing is settled
    const bad = await api.call({ method: 'GET', url: '/v1/invoices/export?status=lost' });
    expect(bad.statusCode).toBe(400);
  });
});

describe('a table longer than a sheet holds', () => {
  it('goes on in the next sheet, under its own header', async () => {
    const chunks = async function* () {
      yield [
        ['a', 1],
        ['b', 2],
        ['c', 3],
      ];
    };
    const out = new PassThrough();
    const bytes: Buffer[] = [];
    out.on('data', (b: Buffer) => bytes.push(b));
    expect(await writeTable('xlsx', ['name', 'n'], chunks(), out, undefined, 2)).toBe(3);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.concat(bytes) as unknown as ArrayBuffer);
    expect(
      workbook.worksheets.map((s) =>
        s
          .getSheetValues()
          .slice(1)
          .map((r) => (r as unknown[]).slice(1)),
      ),
    ).toEqual([
      [
        ['name', 'n'],
        ['a', 1],
        ['b', 2],
      ],
      [
        ['name', 'n'],
        ['c', 3],
      ],
    ]);
  });
});
