import { DomainError } from '../../../core/errors.js';
import { chunkOf } from '../../../store/write.js';
import { idsByExternalId } from '../../lookup.js';
import { type HistoricalOrder, importOrders, validateHistoricalOrder } from '../../orders/import-orders.js';
import { moveBetween, moveOrder } from '../../orders/move-order.js';
import { amountOf, type ImportKind, optional } from '../import-kind.js';

export const orders: ImportKind<HistoricalOrder> = {
  columns: ['external_id', 'customer_external_id', 'ordered_on', 'amount', 'currency'],
  optionalColumns: ['status', 'shipped_on'],
  columnOf: { orderedOn: 'ordered_on', shippedOn: 'shipped_on' },
  sample: {
    external_id: 'SO-2026-0001',
    customer_external_id: 'C-1001',
    ordered_on: '2026-01-03',
    amount: '1000.00',
    currency: 'CNY',
    status: 'invoiced',
    shipped_on: '2026-01-04',
  },
  // History as the ERP decided it: no credit check. Without a status an order is taken as
  // invoiced (its invoice, imported on its own, is what counts in exposure); `open` or `shipped`
  // orders count as open or shipped exposure.
  toInput: (r) => ({
    externalId: r.external_id ?? '',
    customerExternalId: r.customer_external_id ?? '',
    orderedOn: r.ordered_on ?? '',
    amountMinor: amountOf(r),
    currency: r.currency ?? '',
    status: optional(r.status) ?? 'invoiced',
    shippedOn: optional(r.shipped_on) ?? null,
  }),
  check: validateHistoricalOrder,
  references: [{ column: 'customer_external_id', table: 'customers' }],
  write: importOrders,
  // The only changes a later extract may bring are the moves an order may make (shipped, cancelled).
  keyed: {
    keyColumns: ['external_id'],
    keyOf: (o) => o.externalId,
    async stored(executor, inputs) {
      const found = new Map<string, HistoricalOrder>();
      for (const ids of chunkOf(
        inputs.map((o) => o.externalId),
        5_000,
      )) {
        const rows = await executor
          .selectFrom('orders')
          .innerJoin('customers', 'customers.id', 'orders.customer_id')
          .select([
            'orders.external_id as externalId',
            'customers.external_id as customerExternalId',
            'orders.ordered_on as orderedOn',
            'orders.amount_minor as amountMinor',
            'orders.currency',
            'orders.status',
            'orders.shipped_on as shippedOn',
          ])
          .where('orders.external_id', 'in', ids)
          .execute();
        for (const row of rows) found.set(row.externalId, row);
      }
      return found;
    },
    mutable: ['status', 'shippedOn'],
    immutableWhy: 'an order keeps its customer, date and amount: cancel it and import a new one',
    checkChange({ input, stored }) {
      const move = input.status === stored.status ? null : moveBetween(stored.status, input.status);
      if (input.status !== stored.status && !move)
        throw new DomainError(
          'invalid_order_state',
          `order ${input.externalId} is ${stored.status} here: it cannot become ${input.status}`,
          'status',
        );
      if (input.shippedOn !== stored.shippedOn && move !== 'ship')
        throw new DomainError(
          'invalid_order_state',
          `order ${input.externalId} is ${stored.status} here: its ship date changes only when it ships`,
          'shippedOn',
        );
    },
    async update(services, actor, pairs) {
      const ids = await idsByExternalId(
        services.store.db,
        'orders',
        pairs.map((p) => p.input.externalId),
      );
      for (const { input, stored } of pairs) {
        const move = moveBetween(stored.status, input.status);
        if (move)
          await moveOrder(
            services,
            actor,
            ids.get(input.externalId) ?? '',
            move,
            input.shippedOn ?? undefined,
          );
      }
    },
  },
};
