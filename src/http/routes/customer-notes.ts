import { Type } from 'typebox';
import { addCustomerNote, listCustomerNotes, NOTE_MAX_LENGTH } from '../../app/customers/customer-notes.js';
import type { Services } from '../../app/services.js';
import { actorOf } from '../auth.js';
import { errorResponses, Id, IdParams, PageOf, PageQuery, Timestamp } from '../schemas.js';
import { type Api, security } from './types.js';

const tags = ['customers'];

const Note = Type.Object({
  id: Id,
  customerId: Id,
  body: Type.String(),
  createdBy: Type.String(),
  createdByName: Type.String({ description: 'who wrote it, by name' }),
  createdAt: Timestamp,
});

/** Notes on a customer's account (H1), kept as written. */
export function customerNoteRoutes(app: Api, services: Services): void {
  app.post(
    '/v1/customers/:id/notes',
    {
      schema: {
        tags,
        security,
        summary: "Add a note to a customer's account (never edited: a correction is another note)",
        params: IdParams,
        body: Type.Object(
          { body: Type.String({ minLength: 1, maxLength: NOTE_MAX_LENGTH }) },
          { additionalProperties: false },
        ),
        response: { 201: Note, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await addCustomerNote(services, actorOf(request), request.params.id, request.body.body)),
  );

  app.get(
    '/v1/customers/:id/notes',
    {
      schema: {
        tags,
        security,
        summary: "A customer's notes, newest first",
        params: IdParams,
        querystring: Type.Object(PageQuery, { additionalProperties: false }),
        response: { 200: PageOf(Note), ...errorResponses },
      },
    },
    (request) => listCustomerNotes(services.store.db, request.params.id, request.query),
  );
}
