import { Type } from 'typebox';
import { actorNames } from '../../app/auth/actor-names.js';
import type { Services } from '../../app/services.js';
import { decodeCursor, encodeCursor, PAGE_SIZE_DEFAULT } from '../../store/page.js';
import { errorResponses, Id, Nullable, PageQuery, Timestamp } from '../schemas.js';
import { type Api, security } from './types.js';

/** Reading the audit trail of one record (G3): who did what (by name), when, before and after. */
export function auditRoutes(app: Api, services: Services): void {
  app.get(
    '/v1/audit-events',
    {
      schema: {
        tags: ['governance'],
        security,
        summary: 'The audit events of one record, newest first, a page at a time',
        querystring: Type.Object({ entityId: Id, ...PageQuery }, { additionalProperties: false }),
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                seq: Type.Integer(),
                occurredAt: Timestamp,
                actor: Type.String(),
                actorName: Type.String({ description: 'who, by name (a person, an API key, or the job)' }),
                action: Type.String(),
                entityType: Type.String(),
                entityId: Type.String(),
                before: Type.Unknown({ description: 'the entity before (null when created)' }),
                after: Type.Unknown({ description: 'the entity after (null when deleted)' }),
              }),
            ),
            nextCursor: Nullable(Type.String()),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const { entityId, cursor } = request.query;
      const limit = request.query.limit ?? PAGE_SIZE_DEFAULT;
      const { db } = services.store;
      let query = db.selectFrom('audit_events').selectAll().where('entity_id', '=', entityId);
      // Newest first: the next page starts below the last sequence number shown.
      if (cursor !== undefined) query = query.where('seq', '<', Number(decodeCursor(cursor)));
      const rows = await query
        .orderBy('seq', 'desc')
        .limit(limit + 1)
        .execute();
      const page = rows.slice(0, limit);
      const names = await actorNames(
        db,
        page.map((r) => r.actor),
      );
      const last = page.at(-1);
      return {
        items: page.map((r) => ({
          seq: Number(r.seq),
          occurredAt: r.occurred_at,
          actor: r.actor,
          actorName: names.get(r.actor) ?? r.actor,
          action: r.action,
          entityType: r.entity_type,
          entityId: r.entity_id,
          before: r.before_json ? JSON.parse(r.before_json) : null,
          after: r.after_json ? JSON.parse(r.after_json) : null,
        })),
        nextCursor: rows.length > limit && last ? encodeCursor(String(last.seq)) : null,
      };
    },
  );
}
