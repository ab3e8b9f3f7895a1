import { requireText } from '../../core/customers/customer.js';
import { DomainError } from '../../core/errors.js';
import { parseCurrency } from '../../core/money/currency.js';
import { requirePositiveMinor } from '../../core/receivables/invoice.js';
import { parseBusinessDate } from '../../core/time/business-date.js';
import { orderRecord } from '../../store/records.js';
import { translateConstraintError } from '../../store/write.js';
import { adjustExposure, orderExposure } from '../exposure/adjust-exposure.js';
import { type CustomerRef, resolveCustomerIds } from '../receivables/resolve-customers.js';
import { validateRows } from '../row-errors.js';
import type { Actor, Progress, Services } from '../services.js';
import { insertAudited, rejectTakenExternalIds } from '../write-records.js';

export const ORDER_STATUSES = ['open', 'shipped', 'invoiced', 'cancelled'] as const;

export interface HistoricalOrder extends CustomerRef {
  readonly externalId: string;
  readonly orderedOn: string;
  readonly amountMinor: number;
  readonly currency: string;
  readonly status: string;
  readonly shippedOn?: string | null;
}

/** One historical order's fields, each checked, naming the field at fault. */
export function validateHistoricalOrder(input: HistoricalOrder) {
  if (!(ORDER_STATUSES as readonly string[]).includes(input.status)) {
    throw new DomainError('invalid_status', `status must be one of ${ORDER_STATUSES.join(', ')}`, 'status');
  }
  return {
    externalId: requireText(input.externalId, 'externalId', 100),
    orderedOn: parseBusinessDate(input.orderedOn, 'orderedOn'),
    amountMinor: requirePositiveMinor(input.amountMinor, 'amountMinor'),
    currency: parseCurrency(input.currency, 'currency'),
    status: input.status,
    shippedOn: input.shippedOn ? parseBusinessDate(input.shippedOn, 'shippedOn') : null,
  };
}

/**
 * Loads orders as an ERP already decided them (history, migration, demo), without a credit check:
 * the live order path with its check is POST /v1/orders.
 */
export async function importOrders(
  services: Services,
  actor: Actor,
  inputs: readonly HistoricalOrder[],
  onProgress?: Progress,
) {
  const valid = validateRows(inputs, (input) => ({ ...validateHistoricalOrder(input), ref: input }));
  const now = services.clock.now().toISOString();
  return services.store.db
    .transaction()
    .execute(async (trx) => {
      const customerOf = await resolveCustomerIds(trx, inputs);
      const resolved = validateRows(valid, (o) => ({ ...o, customerId: customerOf(o.ref) }));
      await rejectTakenExternalIds(
        trx,
        'orders',
        resolved.map((o) => o.externalId),
      );
      const rows = resolved.map((o) => ({
        id: services.ids.next('ord'),
        external_id: o.externalId,
        customer_id: o.customerId,
        ordered_on: o.orderedOn,
        amount_minor: o.amountMinor,
        currency: o.currency,
        status: o.status,
        shipped_on: o.shippedOn,
        invoice_id: null,
        created_at: now,
        credit_minor: o.amountMinor,
        decision_outcome: null,
        decision_json: null,
        check_input_json: null,
        policy_version: null,
        requested_by: null,
        decided_by: null,
        decided_at: null,
        sla_due_at: null,
      }));
      await adjustExposure(
        trx,
        rows.map((r) => ({
          customerId: r.customer_id,
          currency: r.currency,
          ...orderExposure(r.status, r.amount_minor),
        })),
      );
      return insertAudited(
        trx,
        'orders',
        rows,
        orderRecord,
        { actor, now, action: 'order.imported' },
        onProgress,
      );
    })
    .catch(translateConstraintError);
}
