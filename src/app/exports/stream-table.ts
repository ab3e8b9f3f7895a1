import type { Writable } from 'node:stream';
import { stringify } from 'csv-stringify';
import ExcelJS from 'exceljs';
import { spreadsheetSafe } from '../../core/export/table.js';

export type ExportFormat = 'csv' | 'xlsx';

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
    }
    csv.end();
    await done;
    return written;
  }
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: out,
    useStyles: true,
    useSharedStrings: false,
  });
  const sheet = workbook.addWorksheet('export');
  const header = sheet.addRow([...columns]);
  header.font = { bold: true };
  header.commit();
  for await (const chunk of chunks) {
    for (const row of chunk) sheet.addRow(safe(row)).commit();
    written += chunk.length;
    onRows(written);
  }
  sheet.commit();
  await workbook.commit();
  return written;
}
