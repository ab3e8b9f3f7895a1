import { DomainError } from '../errors.js';

/** Long enough to resist guessing without composition rules (NIST SP 800-63B), short enough to hash. */
export const PASSWORD_MIN_LENGTH = 10;
const PASSWORD_MAX_LENGTH = 256;

/** After this many failed logins in a row the account is locked for LOCKOUT_MINUTES. */
export const MAX_FAILED_LOGINS = 5;
export const LOCKOUT_MINUTES = 15;

export function validatePassword(password: string, field = 'password'): string {
  if (password.length < PASSWORD_MIN_LENGTH)
    throw new DomainError(
      'weak_password',
      `${field} must be at least ${PASSWORD_MIN_LENGTH} characters`,
      field,
    );
  if (password.length > PASSWORD_MAX_LENGTH)
    throw new DomainError('too_long', `${field} must be at most ${PASSWORD_MAX_LENGTH} characters`, field);
  return password;
}

/** A failed login: the new count, and the lock's end when the count reaches the limit. */
export function afterFailedLogin(
  failedBefore: number,
  now: Date,
): { failed: number; lockedUntil: Date | null } {
  const failed = failedBefore + 1;
  return {
    failed,
    lockedUntil: failed >= MAX_FAILED_LOGINS ? new Date(now.getTime() + LOCKOUT_MINUTES * 60_000) : null,
  };
}
