import { DomainError } from '../../core/errors.js';
import { backtestWarnings } from '../../core/monitoring/backtest.js';
import type { Severity, WarningRuleSet } from '../../core/monitoring/warning-rules.js';
import { parseBusinessDate, toEpochDay } from '../../core/time/business-date.js';
import type { Services } from '../services.js';
import { readBookHistories } from './book-histories.js';
import { activeWarningRules, warningRulesOfVersion } from './warning-rule-sets.js';

export interface BacktestRequest {
  readonly from: string;
  readonly to: string;
  /** The rules to try; else the stored version to try (a draft, say); else the rule set in force. */
  readonly rules?: WarningRuleSet;
  readonly version?: number;
  readonly warnFrom?: Severity;
  readonly lossDaysPastDue?: number;
}

/**
 * `fulcrum alerts backtest` (CONTRACT.md): the warning rules replayed over the book between two
 * dates, each day as of its end, against the customers who defaulted in that window.
 */
export async function backtestAlerts(services: Services, request: BacktestRequest) {
  const from = parseBusinessDate(request.from, 'from');
  const to = parseBusinessDate(request.to, 'to');
  if (from > to) throw new DomainError('invalid_range', 'from must not be after to', 'from');
  const { db } = services.store;
  const ruleSet =
    request.rules ??
    (request.version === undefined
      ? (await activeWarningRules(db)).rules
      : await warningRulesOfVersion(db, request.version));
  const { histories, unconverted } = await readBookHistories(db, to);
  const result = backtestWarnings(histories, toEpochDay(from), toEpochDay(to), ruleSet, {
    warnFrom: request.warnFrom ?? 'high',
    lossDaysPastDue: request.lossDaysPastDue ?? 90,
  });
  return { from, to, ...result, unconvertedCurrencies: unconverted };
}
