import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApi, testApi } from '../support/api.js';
import { countRows } from '../support/invariants.js';
import { DIALECTS } from '../support/stores.js';

const SAMPLES = join(import.meta.dirname, '../../docs/samples');
const BOUNDARY = '----fulcrum-test-boundary';

/** A multipart/form-data body with one file part. */
function upload(fileName: string, content: string | Buffer, field = 'file') {
  const payload = Buffer.concat([
    Buffer.from(
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${field}"; filename="${fileName}"\r\nContent-Type: text/csv\r\n\r\n`,
    ),
    Buffer.isBuffer(content) ? content : Buffer.from(content),
    Buffer.from(`\r\n--${BOUNDARY}--\r\n`),
  ]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` } };
}

describe.each(DIALECTS)('imports over HTTP (%s)', (dialect) => {
  let api: TestApi;
  beforeAll(async () => {
    api = await testApi(dialect);
  });
  afterAll(async () => api.dispose());

  const post = (url: string, fileName: string, content: string | Buffer, field?: string) =>
    api.call({ method: 'POST', url, ...upload(fileName, content, field) });
  const finished = async (id: string) => {
    let job = (await api.call({ method: 'GET', url: `/v1/imports/${id}` })).json();
    await expect
      .poll(
        async () => {
          job = (await api.call({ method: 'GET', url: `/v1/imports/${id}` })).json();
          return job.status;
        },
        { timeout: 60_000, interval: 50 },
      )
      .not.toBe('running');
    return job;
  };

  it('imports an uploaded file as a job and keeps its counts; an upsert of the same file changes nothing', async () => {
    const customers = readFileSync(join(SAMPLES, 'customers.csv'));
    const started = await post('/v1/imports/customers', 'customers.csv', customers);
    expect(started.statusCode).toBe(202);
    expect(started.json()).toMatchObject({
      kind: 'customers',
      status: 'running',
      request: { fileName: 'customers.csv', mode: 'insert', sizeBytes: customers.length },
    });
    expect(await finished(started.json().id)).toMatchObject({
      status: 'done',
      result: { ok: true, imported: 3, updated: 0, unchanged: 0, skipped: 0, delimiter: ',' },
    });
    const again = await post('/v1/imports/customers?mode=upsert', 'customers.csv', customers);
    expect(await finished(again.json().id)).toMatchObject({
      result: { ok: true, imported: 0, unchanged: 3 },
    });
    const listed = (await api.call({ method: 'GET', url: '/v1/imports?kind=customers' })).json();
    expect(listed.items.map((j: { id: string }) => j.id)).toEqual([again.json().id, started.json().id]);
    expect(listed.items[0].result).toBeUndefined();
  });

  it('keeps the row report of a refused file, writing nothing', async () => {
    const before = await countRows(api.services.store, 'invoices');
    const bad = `external_id,customer_external_id,invoice_number,issue_date,due_date,amount,currency
INV-B1,C-1001,FP-B1,2026-02-31,2026-03-03,10.00,CNY
INV-B2,NOPE,FP-B2,2026-02-01,2026-03-03,10.001,CNY
`;
    const job = await finished((await post('/v1/imports/invoices', 'bad.csv', bad)).json().id);
    expect(job).toMatchObject({ status: 'done', result: { ok: false, problemCount: 3 } });
    expect(
      job.result.problems.map((p: { row: number; column: string; code: string }) => [
        p.row,
        p.column,
        p.code,
      ]),
    ).toEqual([
      [1, 'issue_date', 'invalid_date'],
      [2, 'customer_external_id', 'unknown_customer'],
      [2, 'amount', 'invalid_amount'],
    ]);
    expect(await countRows(api.services.store, 'invoices')).toBe(before);
  });

  it('imports a large upload on a worker thread, with its progress kept', async () => {
    const rows = Array.from(
      { length: 6_000 },
      (_, i) =>
        `BULK-${String(i).padStart(5, '0')},Bulk Buyer Number ${i} Trading Company Limited,CN,CNY,small`,
    );
    const file = `external_id,name,country,currency,segment\n${rows.join('\n')}\n`;
    expect(file.length).toBeGreaterThan(256 * 1024);
    const job = await finished((await post('/v1/imports/customers', 'bulk.csv', file)).json().id);
    expect(job).toMatchObject({ status: 'done', result: { ok: true, imported: 6_000 } });
    expect(job.progress.done).toBe(job.progress.total);
    expect(await countRows(api.services.store, 'customers')).toBe(6_003);
  });

  it('refuses a request without a file part, naming it, and an unknown mode', async () => {
    const json = await api.call({ method: 'POST', url: '/v1/imports/customers', payload: { file: 'x' } });
    expect(json.statusCode).toBe(422);
    expect(json.json().error).toMatchObject({ code: 'file_required', field: 'file' });
    const wrongPart = await post('/v1/imports/customers', 'c.csv', 'x', 'attachment');
    expect(wrongPart.json().error).toMatchObject({ code: 'file_required' });
    const mode = await post('/v1/imports/customers?mode=merge', 'c.csv', 'x');
    expect(mode.statusCode).toBe(400);
    expect((await api.call({ method: 'GET', url: '/v1/imports/imp_nope' })).statusCode).toBe(404);
  });
});
