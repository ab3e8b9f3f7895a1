import { sql } from 'kysely';
import { lockAuditHead } from '../../store/audit.js';
import type { ExposureBalanceTable } from '../../store/schema.js';
import { chunkOf, type Executor } from '../../store/write.js';

/** A change to a customer's exposure in one currency, in minor units (negative to reduce). */
export interface ExposureDelta {
  readonly customerId: string;
  readonly currency: string;
  readonly receivablesMinor?: number;
  readonly openOrdersMinor?: number;
  readonly shippedMinor?: number;
}

const CHUNK = 1_000;

/** The changes summed per customer and currency, as rows to add to `exposure_balances`; none zero. */
export function exposureRows(deltas: readonly ExposureDelta[]) {
  const summed = new Map<string, ExposureBalanceTable>();
  for (const d of deltas) {
    const key = `${d.customerId}|${d.currency}`;
    const row = summed.get(key) ?? {
      customer_id: d.customerId,
      currency: d.currency,
      receivables_minor: 0,
      open_orders_minor: 0,
      shipped_minor: 0,
    };
    row.receivables_minor += d.receivablesMinor ?? 0;
    row.open_orders_minor += d.openOrdersMinor ?? 0;
    row.shipped_minor += d.shippedMinor ?? 0;
    summed.set(key, row);
  }
  return [...summed.values()].filter(
    (r) => r.receivables_minor !== 0 || r.open_orders_minor !== 0 || r.shipped_minor !== 0,
  );
}

/** Each balance row adds to the one of its customer and currency, or starts it. */
export const ADD_TO_BALANCE = sql`on conflict (customer_id, currency) do update set
  receivables_minor = exposure_balances.receivables_minor + excluded.receivables_minor,
  open_orders_minor = exposure_balances.open_orders_minor + excluded.open_orders_minor,
  shipped_minor = exposure_balances.shipped_minor + excluded.shipped_minor`;

/**
 * Applies exposure changes in the caller's transaction — the same one that writes the invoice,
 * payment or order — so the balances a credit check reads are never behind the ledger.
 */
export async function adjustExposure(trx: Executor, deltas: readonly ExposureDelta[]): Promise<void> {
  const rows = exposureRows(deltas);
  if (rows.length > 0) await lockAuditHead(trx);
  for (const chunk of chunkOf(rows, CHUNK))
    await sql`${trx.insertInto('exposure_balances').values(chunk)} ${ADD_TO_BALANCE}`.execute(trx);
}

/** How much of an order counts against credit in each state: accepted-open, shipped, or not at all. */
export function orderExposure(
  status: string,
  creditMinor: number,
): Pick<ExposureDelta, 'openOrdersMinor' | 'shippedMinor'> {
  if (status === 'open') return { openOrdersMinor: creditMinor };
  if (status === 'shipped') return { shippedMinor: creditMinor };
  return {};
}
