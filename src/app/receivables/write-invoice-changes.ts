import type { Selectable } from 'kysely';
import { sql } from 'kysely';
import { appendAudit } from '../../store/audit.js';
import { invoiceRecord } from '../../store/records.js';
import type { InvoiceTable } from '../../store/schema.js';
import { chunkOf, type Executor } from '../../store/write.js';
import { adjustExposure } from '../exposure/adjust-exposure.js';

type InvoiceRow = Selectable<InvoiceTable>;
const UPDATE_CHUNK = 2_000;

/**
 * Writes the new open amount and settlement date of every invoice in `before` (taking the new
 * values from `after`) and an audit event for each, in the caller's transaction.
 */
export async function writeInvoiceChanges(
  trx: Executor,
  actor: string,
  now: string,
  action: string,
  before: ReadonlyMap<string, InvoiceRow>,
  after: ReadonlyMap<string, InvoiceRow>,
): Promise<void> {
  const changed = [...before.keys()].map((id) => after.get(id) as InvoiceRow);
  // One WITH v AS (VALUES …) UPDATE … FROM v per chunk (PostgreSQL, and SQLite since 3.33) instead of a statement per invoice.
  for (const chunk of chunkOf(changed, UPDATE_CHUNK)) {
    const values = chunk.map(
      (row) => sql`(${row.id}, cast(${row.open_minor} as bigint), cast(${row.settled_on} as text))`,
    );
    await sql`with v(id, open_minor, settled_on) as (values ${sql.join(values)})
      update invoices set open_minor = v.open_minor, settled_on = v.settled_on from v where invoices.id = v.id`.execute(
      trx,
    );
  }
  await adjustExposure(
    trx,
    changed.map((row) => ({
      customerId: row.customer_id,
      currency: row.currency,
      receivablesMinor: row.open_minor - (before.get(row.id) as InvoiceRow).open_minor,
    })),
  );
  await appendAudit(
    trx,
    actor,
    now,
    changed.map((row) => ({
      action,
      entityType: 'invoice',
      entityId: row.id,
      before: invoiceRecord(before.get(row.id) as InvoiceRow),
      after: invoiceRecord(row),
    })),
  );
}
