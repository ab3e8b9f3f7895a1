import { requireText } from '../../core/customers/customer.js';
import { DomainError } from '../../core/errors.js';
import { type AlertMove, type AlertState, moveAlertState } from '../../core/monitoring/alert-state.js';
import type { Severity } from '../../core/monitoring/warning-rules.js';
import { appendAudit } from '../../store/audit.js';
import type { AlertTable } from '../../store/schema.js';
import type { Executor } from '../../store/write.js';
import type { Actor, Services } from '../services.js';
import { refreshWarningSeverity } from './monitoring-run.js';

export interface AlertFilter {
  readonly state?: string;
  readonly severity?: string;
  readonly customerId?: string;
  readonly ruleId?: string;
  readonly ownerRole?: string;
  readonly limit?: number;
  /** The id after which the page starts (alerts come newest first). */
  readonly after?: string;
}

function alertRecord(row: AlertTable & { customer_name: string }) {
  return {
    id: row.id,
    customerId: row.customer_id,
    customerName: row.customer_name,
    ruleId: row.rule_id,
    ruleVersion: row.rule_version,
    severity: row.severity as Severity,
    ownerRole: row.owner_role,
    suggestedAction: row.action,
    facts: JSON.parse(row.facts_json) as Record<string, number>,
    currency: row.currency,
    raisedOn: row.raised_on,
    dueOn: row.due_on,
    state: row.state as AlertState,
    stateReason: row.state_reason,
    endedOn: row.ended_on,
    updatedBy: row.updated_by,
    updatedAt: row.updated_at,
  };
}

const selectAlerts = (executor: Executor) =>
  executor
    .selectFrom('alerts as a')
    .innerJoin('customers as c', 'c.id', 'a.customer_id')
    .selectAll('a')
    .select('c.name as customer_name');

/** The alert inbox: newest first, filtered, a page at a time. */
export async function listAlerts(services: Services, filter: AlertFilter = {}) {
  const limit = filter.limit ?? 50;
  const rows = await selectAlerts(services.store.db)
    .$if(filter.state !== undefined, (q) => q.where('a.state', '=', filter.state as string))
    .$if(filter.severity !== undefined, (q) => q.where('a.severity', '=', filter.severity as string))
    .$if(filter.customerId !== undefined, (q) => q.where('a.customer_id', '=', filter.customerId as string))
    .$if(filter.ruleId !== undefined, (q) => q.where('a.rule_id', '=', filter.ruleId as string))
    .$if(filter.ownerRole !== undefined, (q) => q.where('a.owner_role', '=', filter.ownerRole as string))
    .$if(filter.after !== undefined, (q) => q.where('a.id', '<', filter.after as string))
    .orderBy('a.id', 'desc')
    .limit(limit + 1)
    .execute();
  const page = rows.slice(0, limit).map(alertRecord);
  return { items: page, nextAfter: rows.length > limit ? (page.at(-1)?.id ?? null) : null };
}

/** Acknowledges, actions or dismisses an alert (the last two with a reason), audited. */
export async function moveAlert(
  services: Services,
  actor: Actor,
  id: string,
  move: AlertMove,
  reason?: string | null,
) {
  const words = reason === undefined || reason === null ? null : requireText(reason, 'reason', 2000);
  const now = services.clock.now().toISOString();
  return services.store.db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('alerts').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw new DomainError('alert_not_found', `alert ${id} does not exist`);
    const state = moveAlertState(row.state as AlertState, move, words);
    const moved = await trx
      .updateTable('alerts')
      .set({ state, state_reason: words, updated_by: actor, updated_at: now })
      .where('id', '=', id)
      .where('state', '=', row.state)
      .executeTakeFirst();
    // Someone else moved it since it was read: their move stands.
    if (Number(moved.numUpdatedRows) !== 1)
      throw new DomainError('invalid_alert_transition', `alert ${id} was moved by someone else meanwhile`);
    await refreshWarningSeverity(trx, [row.customer_id]);
    await appendAudit(trx, actor, now, [
      {
        action: `alert.${move}`,
        entityType: 'alert',
        entityId: id,
        before: { state: row.state },
        after: { state, reason: words },
      },
    ]);
    return alertRecord(await selectAlerts(trx).where('a.id', '=', id).executeTakeFirstOrThrow());
  });
}
