import { sql } from 'kysely';
import { DomainError } from '../../core/errors.js';
import { firingRules } from '../../core/monitoring/replay.js';
import type { WarningRule } from '../../core/monitoring/warning-rules.js';
import { addDays, type BusinessDate, toEpochDay } from '../../core/time/business-date.js';
import { appendAudit } from '../../store/audit.js';
import type { AlertTable } from '../../store/schema.js';
import { chunkOf, type Executor, isPostgres } from '../../store/write.js';
import type { Actor, Services } from '../services.js';
import { readBookHistories } from './book-histories.js';
import { BUILT_IN_ALERTS, type BuiltInAlert } from './built-in-alerts.js';
import { activeWarningRules } from './warning-rule-sets.js';

/** Alerts someone still has to deal with. */
export const LIVE_STATES = ['open', 'acknowledged'] as const;

/** The worst live high/critical alert of each customer, written to its profile for the order check. */
export async function refreshWarningSeverity(trx: Executor, customerIds: readonly string[]) {
  // In id order, as every other writer of many profiles: no two runs lock them in a circle.
  for (const ids of chunkOf([...customerIds].sort(), 500)) {
    const live = await trx
      .selectFrom('alerts')
      .select(['customer_id', 'severity'])
      .where('customer_id', 'in', ids)
      .where('state', 'in', LIVE_STATES)
      .where('severity', 'in', ['high', 'critical'])
      .execute();
    const worst = new Map<string, string>();
    for (const a of live)
      if (!worst.has(a.customer_id) || a.severity === 'critical') worst.set(a.customer_id, a.severity);
    // On PostgreSQL the rows are locked in id order first: the update's join visits them in no order.
    if (isPostgres(trx))
      await sql`select customer_id from credit_profiles where customer_id in (${sql.join(ids)})
        order by customer_id for update`.execute(trx);
    // One statement for the chunk (a VALUES list both dialects read as column1, column2), not one a customer.
    const values = sql.join(ids.map((id) => sql`(${id}, ${worst.get(id) ?? null})`));
    await sql`update credit_profiles set warning_severity = v.column2
      from (values ${values}) as v
      where credit_profiles.customer_id = v.column1`.execute(trx);
  }
}

/**
 * The monitoring run (D1, D2): the warning rules in force evaluated for every customer as of a day.
 * A rule that starts firing raises an alert; while it keeps firing it raises no other (however the
 * first was handled); the day it stops, the episode ends and an alert nobody dealt with is cleared. The order check then sees each customer's
 * worst live alert. One transaction, audited; running it twice the same day changes nothing.
 */
export async function runMonitoring(
  services: Services,
  actor: Actor,
  asOfText?: string,
  /** Only these customers (on an event about them); everyone when omitted. */
  customerIds?: readonly string[],
) {
  const today = services.clock.today();
  const asOf = (asOfText ?? today) as BusinessDate;
  if (asOf > today)
    throw new DomainError('invalid_date', 'a monitoring run cannot be as of a future day', 'asOf');
  const { db } = services.store;
  const { version, rules } = await activeWarningRules(db);
  const byId = new Map<string, WarningRule>(rules.rules.map((r) => [r.id, r]));
  const { currency, histories } = await readBookHistories(db, asOf, customerIds);
  const day = toEpochDay(asOf);
  const firing = new Map<string, ReturnType<typeof firingRules>>();
  for (const h of histories) firing.set(h.customerId, firingRules(h, day, rules));
  // Insurers' deadlines and expiring securities fire beside the rules, by the contracts' own terms.
  const builtIn = new Map(BUILT_IN_ALERTS.map((b) => [b.rule.id, b.rule]));
  for (const { rule, firings } of BUILT_IN_ALERTS)
    for (const [customerId, facts] of await firings(db, asOf, customerIds))
      firing.set(customerId, [
        ...(firing.get(customerId) ?? []),
        { ruleId: rule.id, severity: rule.severity, facts },
      ]);
  const now = services.clock.now().toISOString();

  return db.transaction().execute(async (trx) => {
    const episodes = await trx
      .selectFrom('alerts')
      .selectAll()
      .where('ended_on', 'is', null)
      .$if(customerIds !== undefined, (q) => q.where('customer_id', 'in', customerIds as string[]))
      .execute();
    const ongoing = new Set(episodes.map((a) => `${a.customer_id}\n${a.rule_id}`));
    const raised: AlertTable[] = [];
    for (const [customerId, firings] of firing)
      for (const f of firings) {
        if (ongoing.has(`${customerId}\n${f.ruleId}`)) continue;
        const rule = (byId.get(f.ruleId) ?? builtIn.get(f.ruleId)) as WarningRule | BuiltInAlert['rule'];
        raised.push({
          id: services.ids.next('alr'),
          customer_id: customerId,
          rule_id: rule.id,
          rule_version: version,
          severity: rule.severity,
          owner_role: rule.ownerRole,
          action: rule.action,
          facts_json: JSON.stringify(f.facts),
          currency,
          raised_on: asOf,
          due_on: addDays(asOf, rule.slaDays),
          state: 'open',
          state_reason: null,
          ended_on: null,
          updated_by: actor,
          updated_at: now,
        });
      }
    // An episode ends the day its rule stops firing; an alert nobody dealt with is then cleared.
    const ended = episodes.filter(
      (a) => !(firing.get(a.customer_id) ?? []).some((f) => f.ruleId === a.rule_id),
    );
    const cleared = ended.filter((a) => (LIVE_STATES as readonly string[]).includes(a.state));
    for (const chunk of chunkOf(raised, 200)) await trx.insertInto('alerts').values(chunk).execute();
    for (const ids of chunkOf(
      ended.map((a) => a.id),
      500,
    ))
      await trx.updateTable('alerts').set({ ended_on: asOf }).where('id', 'in', ids).execute();
    for (const ids of chunkOf(
      cleared.map((a) => a.id),
      500,
    ))
      await trx
        .updateTable('alerts')
        .set({
          state: 'cleared',
          state_reason: `no longer fires as of ${asOf}`,
          updated_by: actor,
          updated_at: now,
        })
        .where('id', 'in', ids)
        .execute();
    // Profiles before the audit log: the audit head is the last lock every writer takes, so a
    // payment (profile, then head) and this run never wait on each other in a circle.
    await refreshWarningSeverity(trx, [...new Set([...raised, ...cleared].map((a) => a.customer_id))]);
    await appendAudit(trx, actor, now, [
      {
        action: 'monitoring.run',
        // The daily job looks for its own record; a run on an event about a few customers is not it.
        entityType: customerIds ? 'monitoring_event' : 'monitoring_run',
        entityId: asOf,
        before: null,
        after: {
          asOf,
          rulesVersion: version,
          customers: histories.length,
          raised: raised.length,
          ended: ended.length,
        },
      },
      ...raised.map((a) => ({
        action: 'alert.raised',
        entityType: 'alert',
        entityId: a.id,
        before: null,
        after: {
          customerId: a.customer_id,
          ruleId: a.rule_id,
          severity: a.severity,
          facts: JSON.parse(a.facts_json),
        },
      })),
      ...cleared.map((a) => ({
        action: 'alert.cleared',
        entityType: 'alert',
        entityId: a.id,
        before: { state: a.state },
        after: { state: 'cleared', asOf },
      })),
    ]);
    const bySeverity: Record<string, number> = {};
    for (const a of raised) bySeverity[a.severity] = (bySeverity[a.severity] ?? 0) + 1;
    return {
      asOf,
      rulesVersion: version,
      customers: histories.length,
      raised: raised.length,
      cleared: cleared.length,
      raisedBySeverity: bySeverity,
      ended: ended.length,
    };
  });
}
