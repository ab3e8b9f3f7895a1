import { DomainError } from '../errors.js';
import { type CurrencyCode, parseCurrency } from '../money/currency.js';
import { parseRegistrationId } from './registration-id.js';

export const SEGMENTS = ['small', 'mid', 'large'] as const;
export type Segment = (typeof SEGMENTS)[number];

export interface CustomerInput {
  readonly externalId: string;
  readonly name: string;
  readonly country: string;
  readonly currency: string;
  readonly segment: string;
  readonly salesOwner?: string | null;
  /** The registry's number: for a Chinese company its unified social credit code. */
  readonly registrationId?: string | null;
}

export interface ValidCustomer {
  readonly externalId: string;
  readonly name: string;
  readonly country: string;
  readonly currency: CurrencyCode;
  readonly segment: Segment;
  readonly salesOwner: string | null;
  readonly registrationId: string | null;
}

const regionNames = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });

/** ISO 3166-1 alpha-2 country code known to the runtime's ICU data. */
export function parseCountry(value: string, field: string): string {
  if (!/^[A-Z]{2}$/.test(value) || regionNames.of(value) === undefined) {
    throw new DomainError(
      'invalid_country',
      `${field} must be an ISO 3166 alpha-2 code such as CN, got "${value}"`,
      field,
    );
  }
  return value;
}

export function parseSegment(value: string, field: string): Segment {
  if (!(SEGMENTS as readonly string[]).includes(value)) {
    throw new DomainError(
      'invalid_segment',
      `${field} must be one of ${SEGMENTS.join(', ')}, got "${value}"`,
      field,
    );
  }
  return value as Segment;
}

export function requireText(value: string, field: string, maxLength: number): string {
  const trimmed = value.trim();
  if (trimmed.length === 0) throw new DomainError('required', `${field} must not be empty`, field);
  if (trimmed.length > maxLength) {
    throw new DomainError('too_long', `${field} must be at most ${maxLength} characters`, field);
  }
  return trimmed;
}

/** One validation for every way a customer comes in: HTTP, CSV import, demo seed. */
export function validateCustomer(input: CustomerInput): ValidCustomer {
  const owner = input.salesOwner?.trim();
  const country = parseCountry(input.country, 'country');
  const registration = input.registrationId?.trim();
  return {
    externalId: requireText(input.externalId, 'externalId', 100),
    name: requireText(input.name, 'name', 200),
    country,
    currency: parseCurrency(input.currency, 'currency'),
    segment: parseSegment(input.segment, 'segment'),
    salesOwner: owner ? requireText(owner, 'salesOwner', 100) : null,
    registrationId: registration ? parseRegistrationId(registration, country, 'registrationId') : null,
  };
}
