import { PassThrough, Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomers } from '../../src/app/customers/create-customers.js';
import { INVOICE_LEDGER_COLUMNS, invoiceLedger } from '../../src/app/exports/invoice-ledger.js';
import { writeTable } from '../../src/app/exports/stream-table.js';
import { createInvoices } from '../../src/app/receivables/create-invoices.js';
import type { Services } from '../../src/app/services.js';
import { exportThreadFree, invoiceLedgerOnThread } from '../../src/jobs/export-thread.js';
import { DIALECTS, freshStore, type TestStore, testServices } from '../support/stores.js';

/** Everything written to a stream that takes one chunk at a time, slowly (backpressure all the way). */
function slowReader() {
  const parts: Buffer[] = [];
  const out = new Writable({
    highWaterMark: 1,
    write(chunk: Buffer, _encoding, done) {
      parts.push(chunk);
      setTimeout(done, 1);
    },
  });
  const finished = new Promise<Buffer>((resolve, reject) => {
    out.on('finish', () => resolve(Buffer.concat(parts)));
    out.on('error', reject);
  });
  return { out, finished };
}

describe.each(DIALECTS)('the invoice ledger exported on a thread of its own (%s)', (dialect) => {
  let t: TestStore;
  let services: Services;

  beforeAll(async () => {
    t = await freshStore(dialect);
    services = testServices(t.store);
    const [customer] = await createCustomers(services, 'test', [
      {
        externalId: 'EX-C',
        name: '宁波 "Quote" & Co',
        country: 'CN',
        currency: 'CNY',
        segment: 'mid' as const,
      },
    ]);
    await createInvoices(
      services,
      'test',
      Array.from({ length: 1_200 }, (_, k) => ({
        customerId: customer?.id as string,
        externalId: `EX-${k}`,
        invoiceNumber: k % 7 === 0 ? `=SUM(A${k})` : `N-${k}`,
        issueDate: '2026-01-15',
        dueDate: '2026-02-14',
        amountMinor: 100 + k,
        currency: 'CNY',
      })),
    );
  }, 60_000);
  afterAll(async () => t.dispose());

  it('writes the same CSV as the event loop would, through a slow reader', async () => {
    const inline = new PassThrough();
    const parts: Buffer[] = [];
    inline.on('data', (chunk: Buffer) => parts.push(chunk));
    await writeTable('csv', INVOICE_LEDGER_COLUMNS, invoiceLedger(t.store.db, {}, 100), inline);
    const { out, finished } = slowReader();
    expect(await invoiceLedgerOnThread(services, 'csv', {}, out)).toBe(1_200);
    expect((await finished).toString('utf8')).toBe(Buffer.concat(parts).toString('utf8'));
    await expect.poll(exportThreadFree).toBe(true);
  });

  it('writes an XLSX workbook that reads back row for row, filtered', async () => {
    const { out, finished } = slowReader();
    expect(await invoiceLedgerOnThread(services, 'xlsx', { status: 'open' }, out)).toBe(1_200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await finished) as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0];
    if (!sheet) throw new Error('the workbook has no sheet');
    expect(sheet.rowCount).toBe(1_201);
    expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual([...INVOICE_LEDGER_COLUMNS]);
    const amounts = Array.from({ length: 1_200 }, (_, k) => sheet.getRow(k + 2).getCell(9).value as number);
    expect(amounts.reduce((s, a) => s + a, 0)).toBeCloseTo((1_200 * 100 + (1_199 * 1_200) / 2) / 100, 2);
  });

  it('ends its thread when the reader goes away half-way', async () => {
    const out = new PassThrough({ highWaterMark: 1 });
    const written = invoiceLedgerOnThread(services, 'csv', {}, out);
    out.once('data', () => out.destroy());
    await expect(written).rejects.toThrow(/ended before it finished/);
    await expect.poll(exportThreadFree).toBe(true);
  });
});
