import { Type } from 'typebox';
import type { Services } from '../../app/services.js';
import { deleteView, savedViews, saveView, VIEW_PAGES } from '../../app/views/saved-views.js';
import { errorResponses, Id, IdParams, Timestamp } from '../schemas.js';
import { type Api, security } from './types.js';

const Page = Type.Enum([...VIEW_PAGES]);
const View = Type.Object({
  id: Id,
  page: Page,
  name: Type.String(),
  query: Type.String({
    description: "the page's filters as a query string (e.g. collector=me&segment=large)",
  }),
  createdAt: Timestamp,
});
const tags = ['access'];

/** Saved views (H4): each person's named filters of a list page. */
export function viewRoutes(app: Api, services: Services): void {
  app.get(
    '/v1/me/views',
    {
      schema: {
        tags,
        security,
        summary: "The caller's saved views of a list page, by name (people, not API keys)",
        querystring: Type.Object({ page: Page }, { additionalProperties: false }),
        response: { 200: Type.Object({ items: Type.Array(View) }), ...errorResponses },
      },
    },
    (request) => savedViews(services, request.principal, request.query.page),
  );
  app.post(
    '/v1/me/views',
    {
      schema: {
        tags,
        security,
        summary: "Save a page's filters under a name (a name once per page)",
        body: Type.Object(
          {
            page: Page,
            name: Type.String({ minLength: 1, maxLength: 80 }),
            query: Type.String({ maxLength: 1000 }),
          },
          { additionalProperties: false },
        ),
        response: { 201: View, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await saveView(services, request.principal, request.body)),
  );
  app.delete(
    '/v1/me/views/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Delete one of your saved views',
        params: IdParams,
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await deleteView(services, request.principal, request.params.id);
      return reply.status(204).send(null);
    },
  );
}
