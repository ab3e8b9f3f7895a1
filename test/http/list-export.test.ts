import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApi, testApi } from '../support/api.js';

describe('every list comes as CSV and XLSX, with formulas neutralised', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await testApi('sqlite');
    for (const [externalId, name] of [
      ['EX-1', '上海宏达电子科技有限公司'],
      ['EX-2', '=HYPERLINK("http://evil.example","click")'],
      ['EX-3', '@SUM(A1:A9)'],
    ])
      await api.call({
        method: 'POST',
        url: '/v1/customers',
        payload: { externalId, name, country: 'CN', currency: 'CNY', segment: 'mid' },
      });
  });
  afterAll(async () => api.dispose());

  it('CSV by ?format=csv or Accept: text/csv, names stored as they are but never a formula', async () => {
    const csv = await api.call({ method: 'GET', url: '/v1/customers?format=csv&limit=10' });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.headers['content-disposition']).toBe('attachment; filename="customers.csv"');
    const lines = csv.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\n');
    expect(lines[0]).toMatch(/^id,externalId,name,/);
    expect(lines).toHaveLength(4);
    expect(csv.body).toContain('上海宏达电子科技有限公司');
    expect(csv.body).toContain(`"'=HYPERLINK(""http://evil.example"",""click"")"`);
    expect(csv.body).toContain("'@SUM(A1:A9)");
    const stored = (await api.call({ method: 'GET', url: '/v1/customers?limit=10' })).json().items;
    expect(stored.map((c: { name: string }) => c.name)).toContain(
      '=HYPERLINK("http://evil.example","click")',
    );
    const accepted = await api.call({ method: 'GET', url: '/v1/customers', headers: { accept: 'text/csv' } });
    expect(accepted.headers['content-type']).toMatch(/^text\/csv/);
  });

  it('XLSX that a spreadsheet library reads back row for row', async () => {
    const xlsx = await api.call({ method: 'GET', url: '/v1/customers?format=xlsx' });
    expect(xlsx.statusCode).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0];
    if (!sheet) throw new Error('the workbook has no sheet');
    expect(sheet.rowCount).toBe(4);
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    const names = [2, 3, 4].map((r) => sheet.getRow(r).getCell(header.indexOf('name') + 1).value);
    expect(names).toEqual(expect.arrayContaining(['上海宏达电子科技有限公司', "'@SUM(A1:A9)"]));
  });

  it('refuses an unknown format and a format for what is not a list', async () => {
    const unknown = await api.call({ method: 'GET', url: '/v1/customers?format=pdf' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error).toMatchObject({ code: 'invalid_request', field: 'format' });
    const single = await api.call({ method: 'GET', url: '/v1/portfolio/overview?format=csv' });
    expect(single.statusCode).toBe(406);
    expect(single.json().error.code).toBe('not_exportable');
  });
});
