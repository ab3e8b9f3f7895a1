import { quantile } from '../statistics/quantile.js';
import { type CustomerHistory, openOn } from './customer-history.js';
import { defaultDay } from './default-event.js';
import { type ReplayedAlert, replayAlerts } from './replay.js';
import { type Severity, severityRank, type WarningRuleSet } from './warning-rules.js';

export interface LeadDays {
  readonly p25: number | null;
  readonly median: number | null;
  readonly p75: number | null;
}

export interface BacktestFigures {
  readonly customers: number;
  readonly defaulters: number;
  readonly defaultersWarned: number;
  readonly leadDays: LeadDays;
  readonly warnedCustomers: number;
  readonly warnedNotDefaulted: number;
}

export interface BacktestResult extends BacktestFigures {
  /** The same figures for each rule alone (every severity), in the rule set's order. */
  readonly rules: ({ ruleId: string; severity: Severity; alerts: number } & BacktestFigures)[];
}

export interface BacktestOptions {
  /** The least severity that counts as a warning (the contract: high). */
  readonly warnFrom: Severity;
  readonly lossDaysPastDue: number;
}

const leadDaysOf = (leads: number[]): LeadDays => ({
  p25: quantile(leads, 0.25),
  median: quantile(leads, 0.5),
  p75: quantile(leads, 0.75),
});

/** Had something open with it at some point of the window: a customer the window could warn about. */
function hadExposure(history: CustomerHistory, fromDay: number, toDay: number): boolean {
  return history.invoices.some((i) => i.issueDay <= toDay && openOn(i, Math.max(fromDay, i.issueDay)) > 0);
}

interface Subject {
  readonly defaultedOn: number | null;
  readonly alerts: readonly ReplayedAlert[];
}

function figures(subjects: readonly Subject[], counts: (a: ReplayedAlert) => boolean): BacktestFigures {
  const leads: number[] = [];
  let defaulters = 0;
  let warnedCustomers = 0;
  let warnedNotDefaulted = 0;
  for (const { defaultedOn, alerts } of subjects) {
    const warnings = alerts.filter(counts);
    if (warnings.length > 0) {
      warnedCustomers++;
      if (defaultedOn === null) warnedNotDefaulted++;
    }
    if (defaultedOn === null) continue;
    defaulters++;
    const first = Math.min(...warnings.filter((a) => a.raisedDay < defaultedOn).map((a) => a.raisedDay));
    if (Number.isFinite(first)) leads.push(defaultedOn - first);
  }
  return {
    customers: subjects.length,
    defaulters,
    defaultersWarned: leads.length,
    leadDays: leadDaysOf(leads),
    warnedCustomers,
    warnedNotDefaulted,
  };
}

/**
 * The lead-time back-test (D2): the rules replayed over the window day by day, each day seeing only
 * what was known by its end, against the customers who defaulted in the window (a write-off, or an
 * invoice `lossDaysPastDue` past due). A defaulter is warned when an alert of `warnFrom` or above
 * was raised before its default day; lead days are counted from the first such alert. Customers
 * already in default when the window opens are left out: there was nothing left to warn of.
 */
export function backtestWarnings(
  histories: Iterable<CustomerHistory>,
  fromDay: number,
  toDay: number,
  ruleSet: WarningRuleSet,
  options: BacktestOptions,
): BacktestResult {
  const subjects: Subject[] = [];
  for (const history of histories) {
    const defaulted = defaultDay(history, options.lossDaysPastDue);
    if (defaulted !== null && defaulted < fromDay) continue;
    if (!hadExposure(history, fromDay, toDay)) continue;
    subjects.push({
      defaultedOn: defaulted !== null && defaulted <= toDay ? defaulted : null,
      alerts: replayAlerts(history, fromDay, toDay, ruleSet),
    });
  }
  const least = severityRank(options.warnFrom);
  return {
    ...figures(subjects, (a) => severityRank(a.severity) >= least),
    rules: ruleSet.rules.map((rule) => ({
      ruleId: rule.id,
      severity: rule.severity,
      alerts: subjects.reduce((n, s) => n + s.alerts.filter((a) => a.ruleId === rule.id).length, 0),
      ...figures(subjects, (a) => a.ruleId === rule.id),
    })),
  };
}
