import type { CustomerHistory } from './customer-history.js';
import { ruleKind } from './rule-kinds.js';
import type { Severity, WarningRule, WarningRuleSet } from './warning-rules.js';

export interface Firing {
  readonly ruleId: string;
  readonly severity: Severity;
  readonly facts: Record<string, number>;
}

/** The rules that fire for a customer as of the end of `day` (what the daily job raises). */
export function firingRules(history: CustomerHistory, day: number, ruleSet: WarningRuleSet): Firing[] {
  const firings: Firing[] = [];
  for (const rule of ruleSet.rules) {
    const facts = ruleKind(rule.kind).fires(history, day, rule.params);
    if (facts) firings.push({ ruleId: rule.id, severity: rule.severity, facts });
  }
  return firings;
}

/** An alert a replay raised: from the day its rule started firing to the day it stopped (or null). */
export interface ReplayedAlert {
  readonly customerId: string;
  readonly ruleId: string;
  readonly severity: Severity;
  readonly raisedDay: number;
  readonly clearedDay: number | null;
}

function replayRule(history: CustomerHistory, rule: WarningRule, fromDay: number, toDay: number) {
  const kind = ruleKind(rule.kind);
  const days = new Set<number>([fromDay]);
  for (const d of kind.changeDays(history, rule.params)) if (d > fromDay && d <= toDay) days.add(d);
  const alerts: ReplayedAlert[] = [];
  let raised: number | null = null;
  for (const day of [...days].sort((a, b) => a - b)) {
    const fires = kind.fires(history, day, rule.params) !== null;
    if (fires && raised === null) raised = day;
    if (!fires && raised !== null) {
      alerts.push({
        customerId: history.customerId,
        ruleId: rule.id,
        severity: rule.severity,
        raisedDay: raised,
        clearedDay: day,
      });
      raised = null;
    }
  }
  if (raised !== null)
    alerts.push({
      customerId: history.customerId,
      ruleId: rule.id,
      severity: rule.severity,
      raisedDay: raised,
      clearedDay: null,
    });
  return alerts;
}

/**
 * Replays the rules over a customer's history day by day from `fromDay` to `toDay`, each day as of
 * its end: an alert is raised the day a rule starts firing and cleared the day it stops. Only the
 * days on which a rule's answer can change are evaluated — the same answers as asking every day.
 */
export function replayAlerts(
  history: CustomerHistory,
  fromDay: number,
  toDay: number,
  ruleSet: WarningRuleSet,
): ReplayedAlert[] {
  return ruleSet.rules.flatMap((rule) => replayRule(history, rule, fromDay, toDay));
}
