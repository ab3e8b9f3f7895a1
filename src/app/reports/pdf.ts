import { existsSync } from 'node:fs';
import PDFDocument from 'pdfkit';
import type { CurrencyCode } from '../../core/money/currency.js';
import { formatGroupedAmount } from '../../core/money/parse.js';
import type { Locale } from '../../core/policy/explain.js';
import { AGING_BUCKETS, type AgingBuckets } from '../../core/receivables/aging.js';

/** Debian's fonts-noto-cjk: Chinese names and text need it; without it pdfkit falls back to Helvetica. */
const CJK_FONT = '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc';
const LEFT = 50;
const RIGHT = 545;

/** An A4 document with the CJK font, and the bytes it will have once ended. */
export function pdfDocument(title: string): { doc: PDFKit.PDFDocument; bytes: Promise<Buffer> } {
  const doc = new PDFDocument({ size: 'A4', margin: LEFT, info: { Title: title } });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const bytes = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  if (existsSync(CJK_FONT)) doc.font(CJK_FONT, 'NotoSansCJKsc-Regular');
  return { doc, bytes };
}

/** One line of a table whose columns start at the given x positions; the next line goes below the tallest cell. */
export function tableRow(
  doc: PDFKit.PDFDocument,
  columns: readonly number[],
  cells: readonly string[],
): void {
  const y = doc.y;
  let bottom = y;
  cells.forEach((cell, i) => {
    const x = columns[i] ?? LEFT;
    doc.text(cell, x, y, { width: (columns[i + 1] ?? RIGHT) - x - 6 });
    bottom = Math.max(bottom, doc.y);
  });
  doc.y = bottom;
  doc.moveDown(0.3);
  doc.x = LEFT;
}

/** A section's heading; the text after it in the body size. */
export function heading(doc: PDFKit.PDFDocument, text: string): void {
  doc.moveDown(0.8).fontSize(12).text(text).moveDown(0.3).fontSize(9);
}

/** Label and value, one pair a line. */
export function facts(
  doc: PDFKit.PDFDocument,
  pairs: readonly (readonly [string, string])[],
  valueAt = 200,
): void {
  for (const [label, value] of pairs) tableRow(doc, [LEFT, valueAt], [label, value]);
}

/** A share as a percentage with one decimal, or a dash. */
export const percentText = (share: number | null) => (share === null ? '—' : `${(share * 100).toFixed(1)} %`);

const AGING_HEADS: Record<Locale, readonly string[]> = {
  en: ['Current', '1–30', '31–60', '61–90', 'Over 90', 'Total'],
  'zh-CN': ['未到期', '1–30', '31–60', '61–90', '90以上', '合计'],
};
const AGING_COLUMNS = [50, 130, 200, 270, 340, 410, 480];

/** Receivables by days past due, a row per currency with its total, amounts grouped for people. */
export function agingTable(
  doc: PDFKit.PDFDocument,
  locale: Locale,
  rows: readonly { currency: string; buckets: AgingBuckets }[],
): void {
  tableRow(doc, AGING_COLUMNS, ['', ...AGING_HEADS[locale]]);
  for (const { currency, buckets } of rows) {
    const amounts = AGING_BUCKETS.map((b) => buckets[b]);
    tableRow(doc, AGING_COLUMNS, [
      currency,
      ...[...amounts, amounts.reduce((a, b) => a + b, 0)].map((m) =>
        formatGroupedAmount(m, currency as CurrencyCode),
      ),
    ]);
  }
}
