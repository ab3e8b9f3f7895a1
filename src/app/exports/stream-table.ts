import type { Writable } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { stringify } from 'csv-stringify';
import { spreadsheetSafe } from '../../core/export/table.js';
import { loadExcelJs } from '../exceljs.js';

export type ExportFormat = 'csv' | 'xlsx';

/** The rows of a spreadsheet's sheet (1,048,576) less its header. */
export const XLSX_ROWS_PER_SHEET = 1_048_575;

/**
 * exceljs hands a sheet's XML to the zip without heeding its backpressure, and the zip deflates
 * on libuv's threads one block a turn of the event loop: written faster than that (a read from
 * SQLite never yields a turn), the XML piles up in memory — 800 MB for a million rows. So after
 * each chunk, wait until the zip's entry has taken what it was given.
 */
async function zipCaughtUp(sheet: object) {
  // The entry is archiver's own (readable-stream) PassThrough: its state is `_writableState`.
  const entry = (sheet as { stream?: { pipes?: ZipEntry[] } }).stream?.pipes?.[0];
  while (entry?._writableState?.needDrain) await new Promise((resolve) => entry.once('drain', resolve));
}

interface ZipEntry {
  readonly _writableState?: { readonly needDrain: boolean };
  once(event: 'drain', listener: (...args: unknown[]) => void): unknown;
}

/**
 * A table of any length written as it is read: CSV through csv-stringify's stream, XLSX through
 * exceljs's streaming writer (each row committed as it comes, so memory stays flat). `onRows` is
 * told the count so far, after each chunk.
 */
export async function writeTable(
  format: ExportFormat,
  columns: readonly string[],
  chunks: AsyncIterable<readonly (string | number | null)[][]>,
  out: Writable,
  onRows: (written: number) => void = () => undefined,
  rowsPerSheet = XLSX_ROWS_PER_SHEET,
): Promise<number> {
  let written = 0;
  const safe = (row: readonly (string | number | null)[]) => row.map(spreadsheetSafe);
  if (format === 'csv') {
    const csv = stringify({ bom: true });
    const done = new Promise<void>((resolve, reject) => {
      csv.on('error', reject);
      out.on('error', reject);
      out.on('finish', resolve);
    });
    csv.pipe(out);
    csv.write(columns);
    for await (const chunk of chunks) {
      for (const row of chunk) if (!csv.write(safe(row))) await new Promise((r) => csv.once('drain', r));
      written += chunk.length;
      onRows(written);
      await nextTurn();
    }
    csv.end();
    await done;
    return written;
  }
  const workbook = new (await loadExcelJs()).stream.xlsx.WorkbookWriter({
    stream: out,
    useStyles: true,
    useSharedStrings: false,
  });
  // A sheet holds 1,048,576 rows: a longer table goes on in the next sheet, under its own header.
  const newSheet = (n: number) => {
    const next = workbook.addWorksheet(n === 1 ? 'export' : `export ${n}`);
    const header = next.addRow([...columns]);
    header.font = { bold: true };
    header.commit();
    return next;
  };
  let sheets = 1;
  let sheet = newSheet(sheets);
  let inSheet = 0;
  for await (const chunk of chunks) {
    for (const row of chunk) {
      if (inSheet === rowsPerSheet) {
        sheet.commit();
        sheet = newSheet(++sheets);
        inSheet = 0;
      }
      sheet.addRow(safe(row)).commit();
      inSheet++;
    }
    written += chunk.length;
    onRows(written);
    await zipCaughtUp(sheet);
    // A turn of the event loop between chunks: a server answers its other requests meanwhile.
    await nextTurn();
  }
  sheet.commit();
  await workbook.commit();
  return written;
}
