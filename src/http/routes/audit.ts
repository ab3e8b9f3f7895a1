import { Type } from 'typebox';
import type { Services } from '../../app/services.js';
import { errorResponses, Id, Timestamp } from '../schemas.js';
import { type Api, security } from './types.js';

const MAX_EVENTS = 500;

/** Reading the audit trail of one record (G3): who did what, when, before and after. */
export function auditRoutes(app: Api, services: Services): void {
  app.get(
    '/v1/audit-events',
    {
      schema: {
        tags: ['governance'],
        security,
        summary: `The audit events of one record, newest first (at most ${MAX_EVENTS})`,
        querystring: Type.Object({ entityId: Id }, { additionalProperties: false }),
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                seq: Type.Integer(),
                occurredAt: Timestamp,
                actor: Type.String(),
                action: Type.String(),
                entityType: Type.String(),
                entityId: Type.String(),
                before: Type.Unknown({ description: 'the entity before (null when created)' }),
                after: Type.Unknown({ description: 'the entity after (null when deleted)' }),
              }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const rows = await services.store.db
        .selectFrom('audit_events')
        .selectAll()
        .where('entity_id', '=', request.query.entityId)
        .orderBy('seq', 'desc')
        .limit(MAX_EVENTS)
        .execute();
      return {
        items: rows.map((r) => ({
          seq: Number(r.seq),
          occurredAt: r.occurred_at,
          actor: r.actor,
          action: r.action,
          entityType: r.entity_type,
          entityId: r.entity_id,
          before: r.before_json ? JSON.parse(r.before_json) : null,
          after: r.after_json ? JSON.parse(r.after_json) : null,
        })),
      };
    },
  );
}
