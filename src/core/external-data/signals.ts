import { requireText } from '../customers/customer.js';
import { DomainError } from '../errors.js';
import { parseCurrency } from '../money/currency.js';
import { SEVERITIES, type Severity } from '../monitoring/warning-rules.js';
import { parseBusinessDate } from '../time/business-date.js';

/**
 * What outside sources say about a buyer (A7), as Fulcrum's own types, each with the severity it
 * carries unless the provider's mapping says otherwise: registry changes, court and enforcement
 * records, the abnormal-operations list, insolvency, news, bureaus and credit insurers.
 */
export const SIGNAL_TYPES = {
  legal_representative_change: 'low',
  address_change: 'low',
  business_scope_change: 'low',
  registered_capital_cut: 'medium',
  status_revoked: 'critical',
  deregistered: 'critical',
  lawsuit_defendant: 'medium',
  enforcement: 'high',
  dishonest_debtor: 'critical',
  consumption_restriction: 'high',
  administrative_penalty: 'medium',
  abnormal_operations: 'high',
  equity_pledge: 'medium',
  bankruptcy_filing: 'critical',
  restructuring: 'high',
  news_negative: 'low',
  bureau_downgrade: 'high',
  insurer_limit_cut: 'high',
  insurer_limit_cancelled: 'critical',
} as const satisfies Record<string, Severity>;

export type SignalType = keyof typeof SIGNAL_TYPES;

export interface SignalInput {
  /** The provider or file it came from: its reference is unique within it. */
  readonly source: string;
  /** The provider's own id of the fact: the same fact brought twice is kept once. */
  readonly sourceRef: string;
  readonly customerId?: string;
  readonly customerExternalId?: string;
  readonly registrationId?: string;
  readonly signalType: string;
  readonly occurredOn: string;
  readonly severity?: string | null;
  /** A claim's amount, a capital cut… in minor units of `currency`. */
  readonly amountMinor?: number | null;
  readonly currency?: string | null;
  readonly summary: string;
}

export interface ValidSignal {
  readonly source: string;
  readonly sourceRef: string;
  readonly signalType: SignalType;
  readonly occurredOn: string;
  readonly severity: Severity;
  readonly amountMinor: number | null;
  readonly currency: string | null;
  readonly summary: string;
}

/** One signal checked field by field; the customer it names is resolved by the caller. */
export function validateSignal(input: SignalInput): ValidSignal {
  const signalType = input.signalType?.trim() as SignalType;
  if (!(signalType in SIGNAL_TYPES))
    throw new DomainError(
      'invalid_signal_type',
      `signalType must be one of ${Object.keys(SIGNAL_TYPES).join(', ')}, got "${input.signalType}"`,
      'signalType',
    );
  const severity = input.severity?.trim() || SIGNAL_TYPES[signalType];
  if (!(SEVERITIES as readonly string[]).includes(severity))
    throw new DomainError('invalid_severity', `severity must be one of ${SEVERITIES.join(', ')}`, 'severity');
  const hasAmount = input.amountMinor !== undefined && input.amountMinor !== null;
  if (hasAmount && !(Number.isSafeInteger(input.amountMinor) && (input.amountMinor as number) >= 0))
    throw new DomainError('invalid_amount', 'amountMinor must be whole minor units ≥ 0', 'amountMinor');
  const currency = hasAmount ? parseCurrency(input.currency ?? '', 'currency') : null;
  if (!input.customerId && !input.customerExternalId && !input.registrationId)
    throw new DomainError(
      'required',
      'name the customer: customerId, customerExternalId or registrationId',
      'registrationId',
    );
  return {
    source: requireText(input.source ?? '', 'source', 100),
    sourceRef: requireText(input.sourceRef ?? '', 'sourceRef', 200),
    signalType,
    occurredOn: parseBusinessDate(input.occurredOn ?? '', 'occurredOn'),
    severity: severity as Severity,
    amountMinor: hasAmount ? (input.amountMinor as number) : null,
    currency,
    summary: requireText(input.summary ?? '', 'summary', 2000),
  };
}
