import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';

/** What a PDF route answers, in the OpenAPI document. */
export const PdfBody = Type.String({ format: 'binary', description: 'application/pdf' });

/** A PDF document as a download, its file name kept to what every browser and proxy accepts. */
export function sendPdf(reply: FastifyReply, document: { fileName: string; pdf: Buffer }) {
  return reply
    .type('application/pdf')
    .header('content-disposition', `attachment; filename="${document.fileName.replace(/[^\w.-]/g, '_')}"`)
    .send(document.pdf as unknown as string); // a Buffer is sent as it is, never serialised
}
