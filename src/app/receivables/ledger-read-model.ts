import { setImmediate } from 'node:timers/promises';
import { sql } from 'kysely';
import { LedgerColumns } from '../../core/receivables/ledger-columns.js';
import { type BusinessDate, toEpochDay } from '../../core/time/business-date.js';
import { type Executor, isPostgres } from '../../store/write.js';

/** The read model of a store and how far into each ledger table (by row number) it has read. */
interface Kept {
  readonly columns: LedgerColumns;
  /** The ledger's change count (migration 040's triggers) at the snapshot last read. */
  readonly changes: number;
  readonly invoicesRead: number;
  readonly allocationsRead: number;
  readonly creditNotesRead: number;
}

/** Per store (its Kysely instance): the last model read, behind a chain so refreshes never overlap. */
const kept = new WeakMap<object, Promise<Kept | null>>();

/**
 * The receivables ledger as columns, current with every committed write: on each use it reads what
 * was appended since the last (invoices, payments applied, credit notes, by row number) and checks
 * the database's own change count (migration 040: every insert, delete and edit of those tables,
 * whoever made it) moved by exactly the rows it read. Any other change — an edit or a delete, which
 * Fulcrum never makes — and the model is read again whole. SQLite only, outside a transaction: the server is its book's one reader and the columns
 * answer in milliseconds what the store answers in seconds; PostgreSQL, shared by several
 * instances, answers from its indexes (`null`).
 */
export function ledgerColumns(executor: Executor): Promise<LedgerColumns | null> {
  if (!readsColumns(executor)) return Promise.resolve(null);
  const next = (kept.get(executor) ?? Promise.resolve(null)).then((last) => refreshed(executor, last));
  kept.set(
    executor,
    next.catch(() => null),
  );
  return next.then((model) => model?.columns ?? null);
}

/** Whether reports on this executor read the ledger's columns (SQLite, outside a transaction). */
export function readsColumns(executor: Executor): boolean {
  return !isPostgres(executor) && !executor.isTransaction;
}

async function refreshed(executor: Executor, last: Kept | null): Promise<Kept | null> {
  if (last) {
    // An appended row the columns refuse (a row number seen before) is a change too: read whole.
    const appended = await readAppended(executor, last).catch(() => null);
    if (appended) return appended;
  }
  return readAppended(executor, {
    columns: new LedgerColumns(),
    changes: 0,
    invoicesRead: 0,
    allocationsRead: 0,
    creditNotesRead: 0,
  });
}

/** How far each ledger table runs (its last row number) and the change count, on one snapshot. */
interface Marks {
  readonly invoices: number;
  readonly allocations: number;
  readonly creditNotes: number;
}

/**
 * Reads the rows appended after `from` into its columns; null when the change count says
 * something else changed too (then the caller reads the ledger whole). A first read (nothing read
 * yet) accepts any count. The marks and the count are read in one statement; the rows up to the
 * marks then in pages, a turn of the event loop between them (the first read of a million-invoice
 * book takes seconds and must not stall the order desk meanwhile). Rows at or under a mark are
 * already committed and, the ledger being append-only, stay as read; anything else moves the count.
 */
async function readAppended(executor: Executor, from: Kept): Promise<Kept | null> {
  const first = from.invoicesRead === 0 && from.allocationsRead === 0 && from.creditNotesRead === 0;
  const { rows: marked } = await sql<Marks & { changes: number }>`select
      coalesce((select max(rowid) from invoices), 0) as invoices,
      coalesce((select max(rowid) from allocations), 0) as allocations,
      coalesce((select max(rowid) from credit_notes), 0) as "creditNotes",
      coalesce((select sum(changes) from ledger_month_changes), 0) as changes`.execute(executor);
  const marks = marked[0] as Marks & { changes: number };
  const changes = Number(marks.changes);
  const { columns } = from;
  let rows = 0;
  for await (const page of pages(executor, 'invoices', from.invoicesRead, marks.invoices)) {
    rows += page.length;
    for (const r of page)
      columns.addInvoice(r.slot, {
        issueDay: toEpochDay(r.day as BusinessDate),
        dueDay: toEpochDay(r.due as BusinessDate),
        amountMinor: Number(r.amount),
        currency: r.currency as string,
        customerId: r.customer as string,
      });
  }
  for (const [table, after, upTo] of [
    ['allocations', from.allocationsRead, marks.allocations],
    ['credit_notes', from.creditNotesRead, marks.creditNotes],
  ] as const)
    for await (const page of pages(executor, table, after, upTo)) {
      rows += page.length;
      for (const r of page) columns.addEntry(r.slot, toEpochDay(r.day as BusinessDate), Number(r.amount));
    }
  if (!first && changes - from.changes !== rows) return null;
  return {
    columns,
    changes,
    invoicesRead: marks.invoices,
    allocationsRead: marks.allocations,
    creditNotesRead: marks.creditNotes,
  };
}

const PAGE_ROWS = 20_000;

interface LedgerRow {
  slot: number;
  day: string;
  due: string | null;
  amount: number;
  currency: string | null;
  customer: string | null;
}

/** A table's rows numbered over `after` up to `upTo`, a page per statement; entries carry their invoice's number. */
async function* pages(
  executor: Executor,
  table: 'invoices' | 'allocations' | 'credit_notes',
  after: number,
  upTo: number,
): AsyncGenerator<LedgerRow[]> {
  for (let low = after; low < upTo; low += PAGE_ROWS) {
    const high = Math.min(upTo, low + PAGE_ROWS);
    const query =
      table === 'invoices'
        ? sql<LedgerRow>`select rowid as slot, issue_date as day, due_date as due, amount_minor as amount,
            currency, customer_id as customer from invoices where rowid > ${low} and rowid <= ${high}`
        : sql<LedgerRow>`select i.rowid as slot, ${sql.ref(table === 'allocations' ? 'e.applied_on' : 'e.issued_on')} as day,
            e.amount_minor as amount from ${sql.table(table)} e join invoices i on i.id = e.invoice_id
            where e.rowid > ${low} and e.rowid <= ${high}`;
    yield (await query.execute(executor)).rows;
    if (high < upTo) await setImmediate();
  }
}
