import { isRole, type Role } from '../access/roles.js';
import { DomainError } from '../errors.js';
import { RULE_KINDS, type RuleKindName, ruleKind } from './rule-kinds.js';

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const ACTIONS = [
  'review',
  'call_customer',
  'reduce_limit',
  'require_prepayment',
  'stop_supply',
  'notify_insurer',
] as const;
export type SuggestedAction = (typeof ACTIONS)[number];

/** One warning rule as data: a condition (a kind with its parameters) → severity, owner, SLA, action. */
export interface WarningRule {
  readonly id: string;
  readonly kind: RuleKindName;
  readonly params: Readonly<Record<string, number>>;
  readonly severity: Severity;
  readonly ownerRole: Role;
  /** Days the owner has to act on an alert before it is overdue. */
  readonly slaDays: number;
  readonly action: SuggestedAction;
}

export interface WarningRuleSet {
  readonly rules: readonly WarningRule[];
}

/** Severity as a rank, for "high or above". */
export const severityRank = (severity: Severity) => SEVERITIES.indexOf(severity);

function fail(field: string, message: string): never {
  throw new DomainError('invalid_warning_rules', `${field}: ${message}`, field);
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], field: string): T {
  if (!(allowed as readonly unknown[]).includes(value)) fail(field, `must be one of ${allowed.join(', ')}`);
  return value as T;
}

/**
 * A rule set as given (JSON from a file, the API or the store), checked field by field: known kinds,
 * unique ids, parameters the kind knows as finite numbers ≥ 0 (omitted ones take the kind's default).
 */
export function parseWarningRules(input: unknown): WarningRuleSet {
  const doc = input as { rules?: unknown } | null;
  if (typeof doc !== 'object' || doc === null || !Array.isArray(doc.rules))
    fail('rules', 'must be a list of rules');
  if (doc.rules.length === 0) fail('rules', 'needs at least one rule');
  const seen = new Set<string>();
  const rules = doc.rules.map((raw: unknown, i: number): WarningRule => {
    const field = `rules[${i}]`;
    const r = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
    const id = r.id;
    if (typeof id !== 'string' || !/^[a-z][a-z0-9_]{0,59}$/.test(id))
      fail(`${field}.id`, 'must be snake_case letters, digits and _ (at most 60)');
    if (seen.has(id)) fail(`${field}.id`, `"${id}" is used twice`);
    seen.add(id);
    const kind = oneOf(r.kind, Object.keys(RULE_KINDS) as RuleKindName[], `${field}.kind`);
    const defaults = ruleKind(kind).defaults;
    const given = (r.params ?? {}) as Record<string, unknown>;
    if (typeof given !== 'object' || Array.isArray(given)) fail(`${field}.params`, 'must be an object');
    for (const name of Object.keys(given))
      if (!(name in defaults))
        fail(
          `${field}.params.${name}`,
          `is not a parameter of ${kind} (${Object.keys(defaults).join(', ')})`,
        );
    const params: Record<string, number> = { ...defaults };
    for (const [name, value] of Object.entries(given)) {
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 1e12)
        fail(`${field}.params.${name}`, 'must be a number from 0 to 10^12');
      params[name] = value;
    }
    const slaDays = r.slaDays ?? 5;
    if (!Number.isInteger(slaDays) || (slaDays as number) < 0 || (slaDays as number) > 365)
      fail(`${field}.slaDays`, 'must be whole days from 0 to 365');
    const ownerRole = r.ownerRole ?? 'credit_analyst';
    if (typeof ownerRole !== 'string' || !isRole(ownerRole)) fail(`${field}.ownerRole`, 'must be a role');
    return {
      id,
      kind,
      params,
      severity: oneOf(r.severity, SEVERITIES, `${field}.severity`),
      ownerRole,
      slaDays: slaDays as number,
      action: oneOf(r.action ?? 'review', ACTIONS, `${field}.action`),
    };
  });
  return { rules };
}

/** Overdue below this (100 units of the report currency) is a rounding residue, not a warning. */
const MATERIAL_OVERDUE_MINOR = 10_000;

/**
 * The rules a new book starts with: the late-payment ladder, deterioration against the customer's
 * own past (slower payments, pieces, broken promises, old debt left while new is paid) and the
 * bust-out pattern. High and critical are the ones the back-test counts as a warning.
 */
export const DEFAULT_WARNING_RULES: WarningRuleSet = parseWarningRules({
  rules: [
    {
      id: 'overdue_30',
      kind: 'overdue',
      params: { minDaysPastDue: 30, minOverdueMinor: MATERIAL_OVERDUE_MINOR },
      severity: 'medium',
      action: 'call_customer',
    },
    {
      id: 'overdue_60',
      kind: 'overdue',
      params: { minDaysPastDue: 60, minOverdueMinor: MATERIAL_OVERDUE_MINOR },
      severity: 'high',
      action: 'reduce_limit',
    },
    {
      id: 'overdue_90',
      kind: 'overdue',
      params: { minDaysPastDue: 90, minOverdueMinor: MATERIAL_OVERDUE_MINOR },
      severity: 'critical',
      ownerRole: 'credit_manager',
      action: 'stop_supply',
      slaDays: 2,
    },
    { id: 'paying_later', kind: 'days_late_trend', params: { minIncreaseDays: 10 }, severity: 'medium' },
    {
      id: 'paying_much_later',
      kind: 'days_late_trend',
      params: { minIncreaseDays: 20 },
      severity: 'high',
      action: 'reduce_limit',
    },
    {
      id: 'old_debt_left',
      kind: 'overdue_share',
      params: { minShare: 0.5, minDaysPastDue: 30 },
      severity: 'high',
    },
    { id: 'paying_in_pieces', kind: 'partial_payments', severity: 'medium', action: 'call_customer' },
    { id: 'promise_broken', kind: 'broken_promises', severity: 'high', action: 'require_prepayment' },
    { id: 'order_spike', kind: 'order_spike', severity: 'medium' },
    {
      id: 'outside_warning',
      kind: 'external_signal',
      params: { minSeverity: 2 },
      severity: 'high',
      action: 'review',
    },
    {
      id: 'outside_alarm',
      kind: 'external_signal',
      params: { minSeverity: 3, windowDays: 365 },
      severity: 'critical',
      ownerRole: 'credit_manager',
      action: 'require_prepayment',
      slaDays: 2,
    },
  ],
});
