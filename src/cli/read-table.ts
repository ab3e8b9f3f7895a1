import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { decodeText, type ImportEncoding } from '../app/imports/decode-text.js';
import { DomainError } from '../core/errors.js';

/** An import file's rows by header name, each with the line (or sheet row) it came from. */
export interface ReadTable {
  readonly header: string[];
  readonly records: { record: Record<string, string>; info: { lines: number } }[];
}

const isXlsx = (file: string, bytes: Uint8Array) =>
  file.toLowerCase().endsWith('.xlsx') || (bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03);

/** A cell as the text a CSV would hold: dates as YYYY-MM-DD, numbers as written, formulas by result. */
function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    if ('result' in value) return cellText(value.result as ExcelJS.CellValue);
    if ('richText' in value) return value.richText.map((r) => r.text).join('');
    if ('text' in value) return String(value.text);
    if ('error' in value) throw new DomainError('invalid_xlsx', `a cell holds the error ${value.error}`);
  }
  return String(value).trim();
}

async function readXlsx(bytes: Uint8Array): Promise<ReadTable> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  } catch (error) {
    throw new DomainError('invalid_xlsx', `not a readable XLSX workbook: ${(error as Error).message}`);
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) return { header: [], records: [] };
  const header = ((sheet.getRow(1).values as ExcelJS.CellValue[]) ?? []).slice(1).map(cellText);
  const records: ReadTable['records'] = [];
  sheet.eachRow((row, number) => {
    if (number === 1) return;
    const cells = header.map((_, i) => cellText(row.getCell(i + 1).value));
    if (cells.every((c) => c === '')) return;
    records.push({
      record: Object.fromEntries(header.map((h, i) => [h, cells[i] ?? ''])),
      info: { lines: number },
    });
  });
  return { header, records };
}

function readCsv(bytes: Uint8Array, encoding: ImportEncoding): ReadTable {
  let header: string[] = [];
  const records = parse(decodeText(bytes, encoding), {
    columns: (names: string[]) => {
      header = names;
      return names;
    },
    bom: true,
    trim: true,
    skip_empty_lines: true,
    info: true,
  }) as ReadTable['records'];
  return { header, records };
}

/**
 * Reads an import file: CSV (in the named encoding) or the first sheet of an XLSX workbook, with
 * the same header. Unreadable text, a damaged workbook or malformed CSV are DomainErrors whose
 * message names the line; a csv-parse error carries its line in `lines`.
 */
export async function readTable(file: string, encoding: ImportEncoding = 'utf8'): Promise<ReadTable> {
  const bytes = readFileSync(file);
  return isXlsx(file, bytes) ? readXlsx(bytes) : readCsv(bytes, encoding);
}
