import { requireText } from '../../core/customers/customer.js';
import { DomainError } from '../../core/errors.js';
import { parseCurrency } from '../../core/money/currency.js';
import type { Decision } from '../../core/policy/types.js';
import { requirePositiveMinor } from '../../core/receivables/invoice.js';
import { type BusinessDate, parseBusinessDate } from '../../core/time/business-date.js';
import type { Dialect } from '../../store/db.js';
import { type Executor, forUpdate, translateConstraintError } from '../../store/write.js';
import type { Actor, Services } from '../services.js';
import { creditPosition } from './credit-position.js';
import { checkInputFor, decideOrders, placedOrThrow } from './decide-orders.js';
import { orderDesk } from './order-desk.js';
import { lockCreditSubject } from './order-lock.js';
import { CachingReader, storeReader } from './position-reader.js';

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

/** The what-if for sales: the decision the order would get now, reserving nothing. */
export async function previewOrder(services: Services, request: OrderRequest) {
  const today = services.clock.today();
  const order = validateRequest(request, today);
  const reader = storeReader(services.store.db);
  const position = await creditPosition(reader, order.customerId, today);
  const policy = await reader.policy();
  const input = await checkInputFor(reader, position, order.amountMinor, order.currency, today);
  return { decision: policy.evaluate(input), input, currency: position.currency };
}

/**
 * The real-time credit check (C1). On PostgreSQL each order is its own transaction holding the
 * customer's and the group's row locks (several server processes may share the database); on
 * SQLite the one process owns the store, so orders go through the order desk, which decides the
 * orders waiting at that moment in one transaction from an in-memory position (group commit).
 */
export async function placeOrder(services: Services, requester: Actor, request: OrderRequest) {
  const pending = { requester, order: validateRequest(request, services.clock.today()) };
  if (services.store.dialect === 'sqlite') return orderDesk(services).submit(pending);
  const [outcome] = await services.store.db
    .transaction()
    .execute(async (trx) => {
      await lockCreditSubject(trx, services.store.dialect, pending.order.customerId);
      return decideOrders(trx, new CachingReader(storeReader(trx)), [pending], services);
    })
    .catch(translateConstraintError);
  return placedOrThrow(outcome);
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
