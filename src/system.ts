import { monotonicFactory } from 'ulid';
import type { Clock, IdGenerator } from './core/ports.js';
import { businessDateOf } from './core/time/business-date.js';

/** The real clock, for the running server and CLI. Tests pass their own. */
export const systemClock: Clock = {
  now: () => new Date(),
  today: () => businessDateOf(new Date()),
};

/** ULIDs sort by creation time, so keyset pagination by id lists records in the order they came. */
export function ulidIds(): IdGenerator {
  const next = monotonicFactory();
  return { next: (prefix) => `${prefix}_${next().toLowerCase()}` };
}
