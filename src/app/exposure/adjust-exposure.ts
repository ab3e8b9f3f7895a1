import { sql } from 'kysely';
import { lockAuditHead } from '../../store/audit.js';
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

/**
 * Applies exposure changes in the caller's transaction — the same one that writes the invoice,
 * payment or order — so the balances a credit check reads are never behind the ledger.
 */
export async function adjustExposure(trx: Executor, deltas: readonly ExposureDelta[]): Promise<void> {
  const summed = new Map<
    string,
    { customer_id: string; currency: string; r: number; o: number; s: number }
  >();
  for (const d of deltas) {
    const key = `${d.customerId}|${d.currency}`;
    const row = summed.get(key) ?? { customer_id: d.customerId, currency: d.currency, r: 0, o: 0, s: 0 };
    row.r += d.receivablesMinor ?? 0;
    row.o += d.openOrdersMinor ?? 0;
    row.s += d.shippedMinor ?? 0;
    summed.set(key, row);
  }
  const rows = [...summed.values()].filter((r) => r.r !== 0 || r.o !== 0 || r.s !== 0);
  if (rows.length > 0) await lockAuditHead(trx);
  for (const chunk of chunkOf(rows, CHUNK)) {
    await trx
      .insertInto('exposure_balances')
      .values(
        chunk.map((r) => ({
          customer_id: r.customer_id,
          currency: r.currency,
          receivables_minor: r.r,
          open_orders_minor: r.o,
          shipped_minor: r.s,
        })),
      )
      .onConflict((oc) =>
        oc.columns(['customer_id', 'currency']).doUpdateSet({
          receivables_minor: sql`exposure_balances.receivables_minor + excluded.receivables_minor`,
          open_orders_minor: sql`exposure_balances.open_orders_minor + excluded.open_orders_minor`,
          shipped_minor: sql`exposure_balances.shipped_minor + excluded.shipped_minor`,
        }),
      )
      .execute();
  }
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
