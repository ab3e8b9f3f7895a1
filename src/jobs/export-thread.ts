import type { Writable } from 'node:stream';
import type { InvoiceLedgerFilter } from '../app/exports/invoice-ledger.js';
import type { ExportFormat } from '../app/exports/stream-table.js';
import type { Services } from '../app/services.js';
import { siblingModule, startThread } from './thread.js';

/** Exports writing on threads at once; another one is written on the event loop (slower for the desk, never refused). */
const MAX_THREADS = 2;
let threads = 0;

/** Whether another export may have a thread of its own now. */
export function exportThreadFree(): boolean {
  return threads < MAX_THREADS;
}

/**
 * The invoice ledger written on a worker thread (its own connection; the rows read, converted and
 * deflated there) into `out`, with backpressure: the thread sends a chunk at a time and no more
 * than a few ahead of what `out` has taken. A reader that goes away ends the thread. Resolves with
 * the rows written.
 */
export function invoiceLedgerOnThread(
  services: Services,
  format: ExportFormat,
  filter: InvoiceLedgerFilter,
  out: Writable,
): Promise<number> {
  threads += 1;
  const worker = startThread(siblingModule(import.meta.url, 'export-worker'), {
    location: services.store.location,
    format,
    filter,
  });
  const stop = () => void worker.terminate();
  out.once('close', stop);
  return new Promise<number>((resolve, reject) => {
    worker.on('message', (message: { bytes?: Uint8Array; done?: number; error?: string }) => {
      if (message.bytes) {
        const ack = () => worker.postMessage('taken');
        if (out.write(Buffer.from(message.bytes.buffer, message.bytes.byteOffset, message.bytes.byteLength)))
          ack();
        else out.once('drain', ack);
      } else if (message.done !== undefined) {
        out.off('close', stop);
        out.end();
        resolve(message.done);
      } else {
        const error = new Error(`the export failed on its thread: ${message.error}`);
        out.destroy(error);
        reject(error);
      }
    });
    worker.once('error', (error) => {
      out.destroy(error);
      reject(error);
    });
    worker.once('exit', () => {
      threads -= 1;
      reject(new Error('the export thread ended before it finished'));
    });
  });
}
