import { Writable } from 'node:stream';
import { parentPort, workerData } from 'node:worker_threads';
import {
  INVOICE_LEDGER_COLUMNS,
  type InvoiceLedgerFilter,
  invoiceLedger,
} from '../app/exports/invoice-ledger.js';
import { type ExportFormat, writeTable } from '../app/exports/stream-table.js';
import { openStore, type StoreLocation } from '../store/db.js';

/**
 * The invoice ledger written as CSV or XLSX on its own thread with its own connection: the bytes
 * go to the parent as they are made, at most a few chunks ahead of what the parent's reader took.
 */
const { location, format, filter } = workerData as {
  location: StoreLocation;
  format: ExportFormat;
  filter: InvoiceLedgerFilter;
};
const port = parentPort;
if (!port) throw new Error('export-worker runs on a worker thread');

/** Chunks sent and not yet taken by the parent's reader: beyond this the writer waits. */
const WINDOW = 8;
let inFlight = 0;
let waiting: (() => void) | null = null;
port.on('message', () => {
  inFlight -= 1;
  const resume = waiting;
  waiting = null;
  resume?.();
});

const toParent = new Writable({
  write(chunk: Buffer, _encoding, done) {
    port.postMessage({ bytes: chunk });
    inFlight += 1;
    if (inFlight < WINDOW) done();
    else waiting = () => done();
  },
});

const store = openStore(location);
try {
  const rows = await writeTable(format, INVOICE_LEDGER_COLUMNS, invoiceLedger(store.db, filter), toParent);
  port.postMessage({ done: rows });
} catch (error) {
  port.postMessage({ error: error instanceof Error ? error.message : String(error) });
} finally {
  await store.close();
  // Listening for the parent's acknowledgements no longer keeps the thread alive: it may end.
  port.unref();
}
