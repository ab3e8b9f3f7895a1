import type { BusinessDate } from './time/business-date.js';

/** Time comes in through this port so the domain stays deterministic and testable. */
export interface Clock {
  /** The current instant, for timestamps on records. */
  now(): Date;
  /** Today's business date in the company's time zone. */
  today(): BusinessDate;
}

/** Identifiers come in through this port: sortable, unique, with a readable prefix. */
export interface IdGenerator {
  next(prefix: string): string;
}
