import { DomainError } from '../errors.js';
import { RISK_CLASSES, type RiskClass } from '../rating/risk-class.js';

export const DUNNING_ACTIONS = ['email', 'letter', 'call_task', 'stop_supply', 'agency', 'legal'] as const;
export type DunningAction = (typeof DUNNING_ACTIONS)[number];

/**
 * One step of a strategy: taken once per invoice when the invoice is `daysPastDue` days past due
 * or more (negative = a reminder before the due date), for customers of the listed risk classes
 * (all when absent) and invoices with at least `minOpenMinor` open (in the invoice's currency).
 */
export interface DunningStep {
  readonly id: string;
  readonly daysPastDue: number;
  readonly action: DunningAction;
  readonly riskClasses?: RiskClass[];
  readonly minOpenMinor?: number;
}

export interface DunningStrategy {
  readonly name: string;
  readonly steps: DunningStep[];
  /** Days after a promised date before an unpaid promise counts as broken. */
  readonly promiseGraceDays: number;
}

export const DEFAULT_STRATEGY: DunningStrategy = {
  name: 'Default collections strategy',
  promiseGraceDays: 3,
  steps: [
    { id: 'pre-due-reminder', daysPastDue: -5, action: 'email', riskClasses: ['C', 'D', 'E'] },
    { id: 'first-reminder', daysPastDue: 3, action: 'email' },
    { id: 'second-reminder', daysPastDue: 15, action: 'email' },
    { id: 'collector-call', daysPastDue: 20, action: 'call_task' },
    { id: 'stop-supply-risky', daysPastDue: 30, action: 'stop_supply', riskClasses: ['D', 'E'] },
    { id: 'formal-letter', daysPastDue: 30, action: 'letter' },
    { id: 'stop-supply', daysPastDue: 45, action: 'stop_supply' },
    { id: 'agency', daysPastDue: 90, action: 'agency', minOpenMinor: 500_000 },
    { id: 'legal', daysPastDue: 120, action: 'legal', minOpenMinor: 5_000_000 },
  ],
};

function fail(field: string, message: string): never {
  throw new DomainError('invalid_strategy', `${field}: ${message}`, field);
}

/** What a JSON schema cannot say: unique step ids, known actions and classes, sane days. */
export function validateStrategy(strategy: DunningStrategy): void {
  if (!Number.isInteger(strategy.promiseGraceDays) || strategy.promiseGraceDays < 0)
    fail('promiseGraceDays', 'must be whole days ≥ 0');
  if (!Array.isArray(strategy.steps) || strategy.steps.length === 0) fail('steps', 'needs at least one step');
  const ids = new Set<string>();
  strategy.steps.forEach((step, i) => {
    const field = `steps[${i}]`;
    if (!/^[a-z0-9][a-z0-9-]{0,49}$/.test(step.id ?? '')) fail(`${field}.id`, 'must be 1–50 of a-z, 0-9, -');
    if (ids.has(step.id)) fail(`${field}.id`, `"${step.id}" is used twice`);
    ids.add(step.id);
    if (!Number.isInteger(step.daysPastDue) || step.daysPastDue < -60 || step.daysPastDue > 3650)
      fail(`${field}.daysPastDue`, 'must be whole days from -60 to 3650');
    if (!DUNNING_ACTIONS.includes(step.action))
      fail(`${field}.action`, `must be one of ${DUNNING_ACTIONS.join(', ')}`);
    if (
      step.riskClasses &&
      (step.riskClasses.length === 0 || !step.riskClasses.every((c) => RISK_CLASSES.includes(c)))
    )
      fail(`${field}.riskClasses`, `must list some of ${RISK_CLASSES.join(', ')}`);
    if (
      step.minOpenMinor !== undefined &&
      !(Number.isSafeInteger(step.minOpenMinor) && step.minOpenMinor >= 0)
    )
      fail(`${field}.minOpenMinor`, 'must be whole minor units ≥ 0');
  });
}

export interface DunnableItem {
  readonly daysPastDue: number;
  readonly riskClass: RiskClass;
  readonly openMinor: number;
}

export interface StepsDue {
  /** The steps to take now: the latest due step of each action. */
  readonly take: DunningStep[];
  /** Earlier steps of the same action never taken (runs were missed): recorded, never sent late. */
  readonly superseded: DunningStep[];
}

/**
 * The steps an invoice has reached and not yet had. When runs were missed and several steps of
 * one action are due at once, only the latest is taken — a customer gets one reminder, not three.
 */
export function stepsDue(strategy: DunningStrategy, item: DunnableItem, done: ReadonlySet<string>): StepsDue {
  // Called for every open invoice of a book: plain loops over the few steps, no intermediate maps.
  const reached: DunningStep[] = [];
  for (const s of strategy.steps)
    if (
      s.daysPastDue <= item.daysPastDue &&
      !done.has(s.id) &&
      (s.riskClasses === undefined || s.riskClasses.includes(item.riskClass)) &&
      item.openMinor >= (s.minOpenMinor ?? 0)
    )
      reached.push(s);
  if (reached.length <= 1) return { take: reached, superseded: [] };
  const take: DunningStep[] = [];
  const superseded: DunningStep[] = [];
  reached.forEach((step, i) => {
    // Superseded by a later step of its action, or by an earlier-listed one of the same day.
    const later = reached.some(
      (other, j) =>
        other.action === step.action &&
        (other.daysPastDue > step.daysPastDue || (other.daysPastDue === step.daysPastDue && j < i)),
    );
    (later ? superseded : take).push(step);
  });
  return { take, superseded };
}
