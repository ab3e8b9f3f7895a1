import { parse } from 'csv-parse/sync';
import type ExcelJS from 'exceljs';
import { DomainError } from '../../core/errors.js';
import { loadExcelJs } from '../exceljs.js';
import { decodeText, type ImportEncoding } from './decode-text.js';

/** An import file's rows by header name, each with the line (or sheet row) it came from. */
export interface ReadTable {
  readonly header: string[];
  readonly records: { record: Record<string, string>; info: { lines: number } }[];
  /** The separator the CSV was read with (`,` is canonical; `;`, tab and `|` are recognised). */
  readonly delimiter: string;
}

const isXlsx = (name: string, bytes: Uint8Array) =>
  name.toLowerCase().endsWith('.xlsx') || (bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03);

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
  const workbook = new (await loadExcelJs()).Workbook();
  try {
    await workbook.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  } catch (error) {
    throw new DomainError('invalid_xlsx', `not a readable XLSX workbook: ${(error as Error).message}`);
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) return { header: [], records: [], delimiter: ',' };
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
  return { header, records, delimiter: ',' };
}

const DELIMITERS = [',', ';', '\t', '|'] as const;

/**
 * The separator of the header line: the candidate it holds most of (a spreadsheet saved as CSV in a
 * locale with a decimal comma writes `;`). A header has no quoted commas in practice.
 */
export function detectDelimiter(text: string): string {
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const counts = DELIMITERS.map((d) => firstLine.split(d).length - 1);
  const most = Math.max(...counts);
  return most === 0 ? ',' : (DELIMITERS[counts.indexOf(most)] ?? ',');
}

function readCsv(bytes: Uint8Array, encoding: ImportEncoding): ReadTable {
  let header: string[] = [];
  const text = decodeText(bytes, encoding);
  const delimiter = detectDelimiter(text.replace(/^\uFEFF/, ''));
  const records = parse(text, {
    columns: (names: string[]) => {
      header = names;
      return names;
    },
    delimiter,
    bom: true,
    trim: true,
    skip_empty_lines: true,
    info: true,
  }) as ReadTable['records'];
  return { header, records, delimiter };
}

/**
 * Reads an import file's bytes: CSV (in the named encoding, its separator detected) or the first
 * sheet of an XLSX workbook, with the same header. Unreadable text, a damaged workbook or malformed
 * CSV are DomainErrors whose message names the line; a csv-parse error carries its line in `lines`.
 */
export async function readTable(
  name: string,
  bytes: Uint8Array,
  encoding: ImportEncoding = 'utf8',
): Promise<ReadTable> {
  return isXlsx(name, bytes) ? readXlsx(bytes) : readCsv(bytes, encoding);
}
