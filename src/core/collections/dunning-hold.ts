import { requireText } from '../customers/customer.js';
import { DomainError } from '../errors.js';
import { addDays, type BusinessDate, parseBusinessDate } from '../time/business-date.js';

export const HOLD_KINDS = ['pause', 'agency'] as const;
export type HoldKind = (typeof HOLD_KINDS)[number];

/** The longest a pause may run: beyond it the debt needs a plan, a case or an agency, not silence. */
export const MAX_PAUSE_DAYS = 90;

export interface HoldInput {
  readonly kind: string;
  readonly until?: string | null;
  readonly agency?: string | null;
  readonly reason: string;
}

export interface ValidHold {
  readonly kind: HoldKind;
  readonly until: BusinessDate | null;
  readonly agency: string | null;
  readonly reason: string;
}

/**
 * A hold on a customer's dunning: a pause runs to a date after today and at most 90 days out; a
 * hand-over names the agency and runs until lifted. Either says why.
 */
export function validateHold(input: HoldInput, today: BusinessDate): ValidHold {
  if (!(HOLD_KINDS as readonly string[]).includes(input.kind))
    throw new DomainError('invalid_kind', `kind must be one of ${HOLD_KINDS.join(', ')}`, 'kind');
  const reason = requireText(input.reason, 'reason', 500);
  if (input.kind === 'agency')
    return { kind: 'agency', until: null, agency: requireText(input.agency ?? '', 'agency', 200), reason };
  if (!input.until) throw new DomainError('required', 'a pause needs the last day it holds', 'until');
  const until = parseBusinessDate(input.until, 'until');
  if (until <= today) throw new DomainError('invalid_date', 'a pause must run past today', 'until');
  if (until > addDays(today, MAX_PAUSE_DAYS))
    throw new DomainError('invalid_date', `a pause may run at most ${MAX_PAUSE_DAYS} days`, 'until');
  return { kind: 'pause', until, agency: null, reason };
}

/** Whether a hold still holds on `day`: not lifted, and (a pause) its last day not passed. */
export function holdsOn(
  hold: { readonly until: string | null; readonly liftedAt: string | null },
  day: BusinessDate,
): boolean {
  return hold.liftedAt === null && (hold.until === null || hold.until >= day);
}
