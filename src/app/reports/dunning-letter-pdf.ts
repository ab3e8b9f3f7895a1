import { DomainError } from '../../core/errors.js';
import type { Executor } from '../../store/write.js';
import { pdfDocument } from './pdf.js';

/**
 * A dunning letter or e-mail as dunning wrote it, set as a printable PDF (H5): to post, or to attach.
 * Its words are the ones kept, in the customer's language; nothing is written anew.
 */
export async function dunningLetterPdf(executor: Executor, letterId: string) {
  const letter = await executor
    .selectFrom('dunning_letters as l')
    .innerJoin('customers as c', 'c.id', 'l.customer_id')
    .select(['l.id', 'l.run_on', 'l.recipient', 'l.subject', 'l.body', 'c.name', 'c.external_id'])
    .where('l.id', '=', letterId)
    .executeTakeFirst();
  if (!letter) throw new DomainError('letter_not_found', `dunning letter ${letterId} does not exist`);
  const { doc, bytes } = pdfDocument(letter.subject);
  doc.fontSize(10).text(letter.name);
  if (letter.recipient) doc.text(letter.recipient);
  doc.moveDown().text(letter.run_on, { align: 'right' });
  doc.moveDown().fontSize(13).text(letter.subject).moveDown().fontSize(10);
  doc.text(letter.body, { lineGap: 2 });
  doc.end();
  return { fileName: `dunning-${letter.external_id}-${letter.run_on}.pdf`, pdf: await bytes };
}
