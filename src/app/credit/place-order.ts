import { requireText } from '../../core/customers/customer.js';
import { DomainError } from '../../core/errors.js';
import { parseCurrency } from '../../core/money/currency.js';
import type { Decision } from '../../core/policy/types.js';
import { requirePositiveMinor } from '../../core/receivables/invoice.js';
import { type BusinessDate, parseBusinessDate } from '../../core/time/business-date.js';
import type { Dialect } from '../../store/db.js';
import { type Executor, forUpdate } from '../../store/write.js';
import type { Actor, Services } from '../services.js';
import { type Preview, previewWith } from './decide-orders.js';
import type { OrderKey } from './keyed-orders.js';
import { type KeyedOrderResult, orderDesk } from './order-desk.js';
import { storeReader } from './position-reader.js';

export interface OrderRequest {
  readonly customerId: string;
  readonly externalId: string;
  readonly amountMinor: number;
  readonly currency: string;
  readonly orderedOn?: string;
}

function validateRequest(request: OrderRequest, today: BusinessDate) {
  return {
    customerId: requireText(request.customerId, 'customerId', 64),
    externalId: requireText(request.externalId, 'externalId', 100),
    amountMinor: requirePositiveMinor(request.amountMinor, 'amountMinor'),
    currency: parseCurrency(request.currency, 'currency'),
    orderedOn: request.orderedOn ? parseBusinessDate(request.orderedOn, 'orderedOn') : today,
  };
}

/**
 * The what-if for sales: the decision the order would get now, reserving nothing. On SQLite the
 * order desk answers it from the positions it holds in memory; on PostgreSQL it reads the store.
 */
export async function previewOrder(services: Services, request: OrderRequest): Promise<Preview> {
  const today = services.clock.today();
  const order = validateRequest(request, today);
  if (services.store.dialect === 'sqlite') return orderDesk(services).preview(order);
  return previewWith(storeReader(services.store.db), order, today);
}

/**
 * The real-time credit check (C1). Orders go through the store's order desk, which decides the
 * orders waiting at that moment in one transaction (group commit): on SQLite from positions held
 * in memory, on PostgreSQL — which several server processes may share — from positions read after
 * locking every customer and group of the run.
 */
export async function placeOrder(services: Services, requester: Actor, request: OrderRequest) {
  const result = await orderDesk(services).submit({
    requester,
    order: validateRequest(request, services.clock.today()),
  });
  if ('replayed' in result) throw new Error('an order without an Idempotency-Key was replayed');
  return result.placed;
}

/**
 * An order sent with an `Idempotency-Key`: placed, with its answer recorded in the same
 * transaction — or, when the key was answered before, `replayed` (the caller sends that answer).
 */
export async function placeKeyedOrder(
  services: Services,
  requester: Actor,
  request: OrderRequest,
  key: OrderKey,
): Promise<KeyedOrderResult> {
  return orderDesk(services).submit({
    requester,
    order: validateRequest(request, services.clock.today()),
    key,
  });
}

export function decisionOf(decisionJson: string | null): Decision | null {
  return decisionJson ? (JSON.parse(decisionJson) as Decision) : null;
}

export function assertOrderFound<T>(row: T | undefined, id: string): T {
  if (!row) throw new DomainError('order_not_found', `order ${id} does not exist`);
  return row;
}

/** The order row, locked for the rest of the transaction (PostgreSQL), or order_not_found. */
export async function lockedOrder(trx: Executor, dialect: Dialect, orderId: string) {
  return assertOrderFound(
    await forUpdate(
      trx.selectFrom('orders').selectAll().where('id', '=', orderId),
      dialect,
    ).executeTakeFirst(),
    orderId,
  );
}
