import { randomBytes } from 'node:crypto';
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
  const next = monotonicFactory(bufferedRandom());
  return { next: (prefix) => `${prefix}_${next().toLowerCase()}` };
}

/** Cryptographic random bytes fetched 4 KiB at a time: one system call per ~250 ids, not per character. */
function bufferedRandom(): () => number {
  let buffer = randomBytes(4096);
  let next = 0;
  return () => {
    if (next >= buffer.length) {
      buffer = randomBytes(4096);
      next = 0;
    }
    return (buffer[next++] as number) / 256;
  };
}
