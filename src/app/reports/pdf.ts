import { existsSync } from 'node:fs';
import PDFDocument from 'pdfkit';

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
