import type { Clock, IdGenerator } from '../core/ports.js';
import type { Store } from '../store/db.js';

/** What every use case needs from the outside world, passed in so tests can control it. */
export interface Services {
  readonly store: Store;
  readonly clock: Clock;
  readonly ids: IdGenerator;
}

/** Who is acting, as written to the audit log: `api_key:<id>`, `cli`, `demo`. */
export type Actor = string;

export type Progress = (done: number, total: number) => void;
