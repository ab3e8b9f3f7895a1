/**
 * When a failed delivery is tried again (I1): exponential from 10 s, doubling, capped at 2 h
 * between tries, with up to 20 % jitter so that many deliveries failing together do not return
 * together; about 24 hours of tries in all, then the delivery is given up (and can be redelivered
 * by hand).
 */
export const MAX_ATTEMPTS = 21;
const FIRST_DELAY_S = 10;
const MAX_DELAY_S = 2 * 3600;

/** Seconds to wait after the `attempt`-th failed try (1-based); null once the tries are spent. */
export function retryDelaySeconds(attempt: number, jitter: number): number | null {
  if (attempt >= MAX_ATTEMPTS) return null;
  const base = Math.min(MAX_DELAY_S, FIRST_DELAY_S * 2 ** (attempt - 1));
  return Math.round(base * (1 + 0.2 * Math.min(1, Math.max(0, jitter))));
}

/** Failed deliveries in a row after which a subscription is disabled and the admins are told. */
export const DISABLE_AFTER_FAILURES = 50;

/** Whether an event is one a subscription asked for: its entity type or its action, or `*` for all. */
export function subscribed(kinds: readonly string[], event: { entityType: string; action: string }): boolean {
  return kinds.some((k) => k === '*' || k === event.entityType || k === event.action);
}
