import { Cron } from 'croner';

/** Cron patterns (UTC, the business dates' zone); null switches a job off. */
export interface JobSchedule {
  readonly dunning: string | null;
  readonly scoring: string | null;
  readonly monitoring: string | null;
  readonly checkpoint: string | null;
  /** The notification digest by e-mail (needs FULCRUM_SMTP_URL). */
  readonly digest: string | null;
  /** E-mails as things arrive, to those who asked (needs FULCRUM_SMTP_URL). */
  readonly notices: string | null;
}

/**
 * Weekday mornings for the dunning run and the digest (after the night's alerts), every night for
 * the scores, the early-warning run and the audit checkpoint, every minute for e-mails as things arrive.
 */
export const DEFAULT_SCHEDULE: JobSchedule = {
  dunning: '0 6 * * 1-5',
  scoring: '30 2 * * *',
  monitoring: '45 2 * * *',
  checkpoint: '0 3 * * *',
  digest: '0 7 * * 1-5',
  notices: '* * * * *',
};

/** A cron pattern from the environment, `off`, or the default; a bad pattern is named at start. */
export function cronPattern(env: NodeJS.ProcessEnv, name: string, fallback: string | null): string | null {
  const value = env[name]?.trim();
  if (value === undefined || value === '') return fallback;
  if (value === 'off') return null;
  try {
    new Cron(value, { paused: true }).stop();
  } catch (error) {
    throw new Error(
      `${name} must be a cron pattern (e.g. "0 6 * * 1-5") or off: ${(error as Error).message}`,
    );
  }
  return value;
}
