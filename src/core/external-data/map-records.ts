import { DomainError } from '../errors.js';
import type { ProviderConfig } from './provider-config.js';
import { valueAt } from './provider-config.js';
import { type SignalInput, validateSignal } from './signals.js';

export interface MappedPage {
  /** The page's records as signals of the customer asked about. */
  readonly signals: SignalInput[];
  /** Records left aside, each with why (an unmapped type, a missing date…). */
  readonly skipped: { readonly index: number; readonly reason: string }[];
  /** The next page's URL as the provider gave it, if any. */
  readonly next: string | null;
}

const asText = (value: unknown): string | undefined =>
  typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : undefined;

/**
 * One page of a provider's answer mapped into signals by its mapping document. A page without its
 * records array is malformed (the whole fetch fails, nothing is kept); a record that does not map
 * is skipped with its reason.
 */
export function mapPage(config: ProviderConfig, page: unknown, customerId: string): MappedPage {
  const m = config.mapping;
  const records = valueAt(page, m.records);
  if (!Array.isArray(records))
    throw new DomainError(
      'malformed_response',
      `the provider's answer has no array at "${m.records || '(the body)'}"`,
    );
  const signals: SignalInput[] = [];
  const skipped: MappedPage['skipped'] = [];
  records.forEach((record, index) => {
    const providerType = asText(valueAt(record, m.signalType.field));
    const signalType = providerType === undefined ? undefined : m.signalType.values[providerType];
    if (!signalType) {
      skipped.push({ index, reason: `type ${JSON.stringify(providerType ?? null)} is not mapped` });
      return;
    }
    const amount = m.amount ? valueAt(record, m.amount.field) : undefined;
    const currency =
      m.currency?.fixed ?? (m.currency?.field ? asText(valueAt(record, m.currency.field)) : undefined);
    const severity = m.severity
      ? m.severity.values[asText(valueAt(record, m.severity.field)) ?? '']
      : undefined;
    const signal: SignalInput = {
      source: config.name,
      sourceRef: asText(valueAt(record, m.sourceRef)) ?? '',
      customerId,
      signalType,
      // A timestamp's day is the day it happened.
      occurredOn: (asText(valueAt(record, m.occurredOn)) ?? '').slice(0, 10),
      severity: severity ?? null,
      amountMinor: typeof amount === 'number' && m.amount ? Math.round(amount * m.amount.minorPerUnit) : null,
      currency: typeof amount === 'number' ? (currency ?? null) : null,
      summary: (asText(valueAt(record, m.summary)) ?? '').slice(0, 1000),
    };
    try {
      validateSignal(signal);
      signals.push(signal);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      skipped.push({ index, reason: `${error.field ?? ''}: ${error.message}` });
    }
  });
  const next = config.nextPagePath ? asText(valueAt(page, config.nextPagePath)) : undefined;
  return { signals, skipped, next: next || null };
}

/**
 * How long to wait before try `attempt` (1 = the first retry): the provider's `Retry-After`
 * (seconds or an HTTP date) when it gave one, else 0.5 s doubling, at most 30 s.
 */
export function retryDelayMs(attempt: number, retryAfter: string | null, nowMs: number): number {
  if (retryAfter) {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds * 1000, 300_000);
    const at = Date.parse(retryAfter);
    if (Number.isFinite(at)) return Math.max(0, Math.min(at - nowMs, 300_000));
  }
  return Math.min(500 * 2 ** (attempt - 1), 30_000);
}

/** A provider's circuit: closed while it answers; open for a while after a run of failed fetches. */
export interface Circuit {
  readonly failures: number;
  readonly openUntilMs: number;
}

export const CLOSED: Circuit = { failures: 0, openUntilMs: 0 };

export const circuitOpen = (circuit: Circuit, nowMs: number) => circuit.openUntilMs > nowMs;

export function afterFetch(
  circuit: Circuit,
  ok: boolean,
  nowMs: number,
  breaker: ProviderConfig['circuitBreaker'],
): Circuit {
  if (ok) return CLOSED;
  const failures = circuit.failures + 1;
  return failures >= breaker.failures
    ? { failures, openUntilMs: nowMs + breaker.openSeconds * 1000 }
    : { failures, openUntilMs: circuit.openUntilMs };
}
