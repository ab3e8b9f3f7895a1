import { PassThrough } from 'node:stream';
import { stringify } from 'csv-stringify/sync';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { loadExcelJs } from '../app/exceljs.js';
import { DomainError } from '../core/errors.js';
import { type Table, tableOf } from '../core/export/table.js';

/** What a streamed table answers, in the OpenAPI document. */
export const TableBody = Type.String({ format: 'binary', description: 'text/csv or XLSX' });

const FORMATS = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
} as const;
type Format = keyof typeof FORMATS;

declare module 'fastify' {
  interface FastifyRequest {
    exportFormat: Format | null;
  }
}

function wanted(request: FastifyRequest): Format | null {
  const query = request.query as Record<string, unknown> | undefined;
  const asked = query?.format;
  if (asked !== undefined) {
    delete query?.format; // not a filter of the list: every list takes it
    if (asked === 'csv' || asked === 'xlsx') return asked;
    throw new DomainError(
      'invalid_request',
      'format must be csv or xlsx (or leave it out for JSON)',
      'format',
    );
  }
  const accept = request.headers.accept ?? '';
  if (accept.includes('text/csv')) return 'csv';
  if (accept.includes(FORMATS.xlsx)) return 'xlsx';
  return null;
}

async function render(format: Format, table: Table): Promise<string | Buffer> {
  if (format === 'csv') return `\uFEFF${stringify([table.columns, ...table.rows])}`;
  const workbook = new (await loadExcelJs()).Workbook();
  const sheet = workbook.addWorksheet('export');
  sheet.addRow(table.columns).font = { bold: true };
  for (const row of table.rows) sheet.addRow(row);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/**
 * Every list (a GET answering `{"items": […]}`) also comes as CSV or XLSX: `?format=csv|xlsx` or
 * an `Accept` header. Nested fields become dotted columns, and text a spreadsheet would run as a
 * formula is neutralised. The list's own filters and paging apply; CSV carries a BOM so that
 * spreadsheet programs read Chinese names as UTF-8.
 */
export function registerListExport(app: FastifyInstance): void {
  app.decorateRequest('exportFormat', null);
  app.addHook('preValidation', (request, _reply, done) => {
    if (request.method !== 'GET' || !request.url.startsWith('/v1/')) return done();
    try {
      request.exportFormat = wanted(request);
      done();
    } catch (error) {
      done(error as Error);
    }
  });
  app.addHook('preSerialization', async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    const format = request.exportFormat;
    if (!format || reply.statusCode !== 200) return payload;
    const items = (payload as { items?: unknown } | null)?.items;
    if (!Array.isArray(items))
      throw new DomainError('not_exportable', 'this answer is not a list: it comes as JSON only', 'format');
    const path = request.url.split('?')[0]?.split('/').filter(Boolean).slice(1).join('-') || 'export';
    reply
      .header('content-type', FORMATS[format])
      .header('content-disposition', `attachment; filename="${path}.${format}"`)
      .serializer((body: unknown) => body as string);
    return render(format, tableOf(items));
  });
}

/**
 * A whole book as a download, streamed as `write` makes it (`?format=csv|xlsx` or `Accept`; CSV
 * when neither says): memory stays flat however many rows. A failure half-way cuts the download
 * short (the client sees an incomplete transfer, never a file that looks whole) and is logged.
 */
export function sendTableStream(
  request: FastifyRequest,
  reply: FastifyReply,
  name: string,
  write: (format: Format, body: PassThrough) => Promise<unknown>,
) {
  const format = request.exportFormat ?? 'csv';
  const body = new PassThrough();
  write(format, body).catch((error: Error) => {
    if (body.destroyed) return; // the reader went away: nothing to report
    request.log.error({ err: error }, 'export failed half-way');
    body.destroy(error);
  });
  return reply
    .header('content-type', FORMATS[format])
    .header('content-disposition', `attachment; filename="${name}.${format}"`)
    .send(body);
}
