import type ExcelJS from 'exceljs';

/**
 * exceljs, loaded on first use. Loading it detaches an ArrayBuffer (jszip probes `new Blob(...)`),
 * and from the first detach on V8 checks every typed-array access in the process: model fits and
 * ledger reports ran ~30 % slower in any process that had merely loaded it. A process that never
 * reads or writes a workbook now never pays.
 */
export async function loadExcelJs(): Promise<typeof ExcelJS> {
  return (await import('exceljs')).default;
}
