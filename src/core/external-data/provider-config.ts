import { DomainError } from '../errors.js';
import { parseCurrency } from '../money/currency.js';
import { SEVERITIES } from '../monitoring/warning-rules.js';
import { SIGNAL_TYPES } from './signals.js';

/**
 * A REST-JSON data provider as data (A7): where to ask, how to authenticate, how hard to push, and
 * how its records become Fulcrum's signals — so a user points Fulcrum at a Qichacha, Tianyancha,
 * Creditsafe, D&B or insurer account without code.
 */
export interface ProviderConfig {
  /** The source name the signals carry (unique per provider). */
  readonly name: string;
  readonly baseUrl: string;
  /** The path asked per customer: `{registrationId}` and `{externalId}` are filled in, encoded. */
  readonly path: string;
  /** A header carrying the credential, whose value is read from an environment variable (never stored). */
  readonly auth: { readonly header: string; readonly valueFromEnv: string; readonly prefix?: string } | null;
  readonly requestsPerSecond: number;
  readonly timeoutMs: number;
  /** Tries after the first, with backoff honouring `Retry-After`. */
  readonly retries: number;
  /** Consecutive failed fetches that open the circuit, and how long it stays open. */
  readonly circuitBreaker: { readonly failures: number; readonly openSeconds: number };
  /** A customer is asked again only this many days after its last good fetch. */
  readonly refetchAfterDays: number;
  /** Where the next page's URL (absolute or relative) is in a page, if the provider pages. */
  readonly nextPagePath: string | null;
  readonly maxPages: number;
  readonly mapping: SignalMapping;
}

/** Dotted paths into each record (`data.items`, `case.amount`, `parties[0].name`). */
export interface SignalMapping {
  /** Where the array of records is in a page (`` = the page is the array). */
  readonly records: string;
  readonly sourceRef: string;
  readonly occurredOn: string;
  readonly summary: string;
  /** The provider's type field and its values → Fulcrum's signal types; an unmapped value is skipped. */
  readonly signalType: { readonly field: string; readonly values: Readonly<Record<string, string>> };
  readonly severity?: { readonly field: string; readonly values: Readonly<Record<string, string>> };
  /** An amount in the provider's units: `minorPerUnit` 100 for yuan given as 12.34, 1 for fen. */
  readonly amount?: { readonly field: string; readonly minorPerUnit: number };
  /** A currency field, or a fixed currency. */
  readonly currency?: { readonly field?: string; readonly fixed?: string };
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function text(doc: Json, field: string, max = 500): string {
  const value = doc[field];
  if (typeof value !== 'string' || value.trim().length === 0 || value.length > max)
    throw new DomainError('invalid_provider', `${field} must be text of 1 to ${max} characters`, field);
  return value.trim();
}

function whole(doc: Json, field: string, min: number, max: number, fallback: number): number {
  const value = doc[field] ?? fallback;
  if (!(typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max))
    throw new DomainError('invalid_provider', `${field} must be a whole number from ${min} to ${max}`, field);
  return value;
}

function valueMap(doc: unknown, field: string, allowed: readonly string[]) {
  if (!isObject(doc)) throw new DomainError('invalid_provider', `${field} must be {"field","values"}`, field);
  const values = doc.values;
  if (!isObject(values) || Object.keys(values).length === 0)
    throw new DomainError(
      'invalid_provider',
      `${field}.values must map the provider's values to Fulcrum's`,
      `${field}.values`,
    );
  for (const [from, to] of Object.entries(values))
    if (typeof to !== 'string' || !allowed.includes(to))
      throw new DomainError(
        'invalid_provider',
        `${field}.values.${from} must be one of ${allowed.join(', ')}, got ${JSON.stringify(to)}`,
        `${field}.values`,
      );
  return { field: text(doc, 'field', 200), values: values as Record<string, string> };
}

/** A provider document checked field by field, each problem naming its field. */
export function parseProviderConfig(input: unknown): ProviderConfig {
  if (!isObject(input)) throw new DomainError('invalid_provider', 'a provider is a JSON object');
  const name = text(input, 'name', 50);
  if (!/^[a-z0-9][a-z0-9_.-]*$/.test(name))
    throw new DomainError('invalid_provider', 'name must be lower-case letters, digits, . _ -', 'name');
  const baseUrl = text(input, 'baseUrl', 500);
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new DomainError('invalid_provider', 'baseUrl must be an absolute http(s) URL', 'baseUrl');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new DomainError('invalid_provider', 'baseUrl must be an absolute http(s) URL', 'baseUrl');
  const path = text(input, 'path', 500);
  if (!/\{(registrationId|externalId)\}/.test(path))
    throw new DomainError('invalid_provider', 'path must name {registrationId} or {externalId}', 'path');
  const auth = input.auth === undefined || input.auth === null ? null : input.auth;
  if (auth !== null && !isObject(auth))
    throw new DomainError('invalid_provider', 'auth must be {"header","valueFromEnv","prefix"?}', 'auth');
  const mapping = input.mapping;
  if (!isObject(mapping)) throw new DomainError('invalid_provider', 'mapping must be an object', 'mapping');
  const path_ = (field: string) => {
    const value = mapping[field];
    if (typeof value !== 'string' || value.length > 200)
      throw new DomainError('invalid_provider', `mapping.${field} must be a dotted path`, `mapping.${field}`);
    return value;
  };
  const breaker = isObject(input.circuitBreaker) ? input.circuitBreaker : {};
  const amount = mapping.amount;
  if (amount !== undefined && !(isObject(amount) && typeof amount.field === 'string'))
    throw new DomainError(
      'invalid_provider',
      'mapping.amount must be {"field","minorPerUnit"}',
      'mapping.amount',
    );
  const currency = mapping.currency;
  if (
    currency !== undefined &&
    !(isObject(currency) && (typeof currency.field === 'string' || typeof currency.fixed === 'string'))
  )
    throw new DomainError(
      'invalid_provider',
      'mapping.currency must be {"field"} or {"fixed"}',
      'mapping.currency',
    );
  if (isObject(currency) && typeof currency.fixed === 'string')
    parseCurrency(currency.fixed, 'mapping.currency.fixed');
  return {
    name,
    baseUrl: url.toString().replace(/\/$/, ''),
    path,
    auth:
      auth === null
        ? null
        : {
            header: text(auth, 'header', 100),
            valueFromEnv: text(auth, 'valueFromEnv', 100),
            ...(typeof auth.prefix === 'string' ? { prefix: auth.prefix } : {}),
          },
    requestsPerSecond: whole(input, 'requestsPerSecond', 1, 1000, 5),
    timeoutMs: whole(input, 'timeoutMs', 100, 120_000, 10_000),
    retries: whole(input, 'retries', 0, 10, 3),
    circuitBreaker: {
      failures: whole(breaker, 'failures', 1, 1000, 5),
      openSeconds: whole(breaker, 'openSeconds', 1, 86_400, 300),
    },
    refetchAfterDays: whole(input, 'refetchAfterDays', 0, 365, 7),
    nextPagePath: typeof input.nextPagePath === 'string' && input.nextPagePath ? input.nextPagePath : null,
    maxPages: whole(input, 'maxPages', 1, 100, 10),
    mapping: {
      records: path_('records'),
      sourceRef: path_('sourceRef'),
      occurredOn: path_('occurredOn'),
      summary: path_('summary'),
      signalType: valueMap(mapping.signalType, 'mapping.signalType', Object.keys(SIGNAL_TYPES)),
      ...(mapping.severity !== undefined && {
        severity: valueMap(mapping.severity, 'mapping.severity', SEVERITIES),
      }),
      ...(isObject(amount) && {
        amount: {
          field: amount.field as string,
          minorPerUnit: whole(amount, 'minorPerUnit', 1, 1_000_000, 100),
        },
      }),
      ...(isObject(currency) && {
        currency: {
          ...(typeof currency.field === 'string' && { field: currency.field }),
          ...(typeof currency.fixed === 'string' && { fixed: currency.fixed }),
        },
      }),
    },
  };
}

/** The value at a dotted path (`a.b[0].c`); `` is the value itself. */
export function valueAt(doc: unknown, path: string): unknown {
  if (path === '') return doc;
  let here: unknown = doc;
  for (const part of path.split('.').flatMap((p) => p.split(/\[(\d+)\]/).filter(Boolean))) {
    if (here === null || typeof here !== 'object') return undefined;
    here = (here as Record<string, unknown>)[part];
  }
  return here;
}
