import { EventEmitter } from 'node:events';

/** What the application reports of its own work, for whoever measures it (metrics). */
export interface ObservationEvents {
  /** The order desk committed a run of orders. */
  'desk.run': [{ readonly orders: number; readonly seconds: number }];
  /** A daily job finished, well or not. */
  'job.run': [{ readonly job: string; readonly seconds: number; readonly ok: boolean }];
  /** An ERP event was handled: applied, a repeat of one applied, parked for later, or dead-lettered. */
  'ingest.event': [
    { readonly kind: string; readonly outcome: 'applied' | 'repeat' | 'parked' | 'dead_letter' | 'retried' },
  ];
  /** The shared consumer's backlog as this instance last read it: waiting, and delivered but unacknowledged. */
  'ingest.lag': [{ readonly pending: number; readonly inFlight: number }];
  /** A webhook delivery was tried. */
  'webhook.attempt': [{ readonly ok: boolean }];
}

/** One process-wide hub: emitting costs nothing when nobody listens. */
export const observations = new EventEmitter<ObservationEvents>();
