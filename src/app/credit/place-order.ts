import { requireText } from '../../core/customers/customer.js';
import { DomainError } from '../../core/errors.js';
import { type CurrencyCode, parseCurrency } from '../../core/money/currency.js';
import { convert } from '../../core/money/fx.js';
import { money } from '../../core/money/money.js';
import type { CheckInput, Decision } from '../../core/policy/types.js';
import { requirePositiveMinor } from '../../core/receivables/invoice.js';
import { type BusinessDate, daysBetween, parseBusinessDate } from '../../core/time/business-date.js';
import type { Dialect } from '../../store/db.js';
import { orderRecord } from '../../store/records.js';
import { type Executor, forUpdate, translateConstraintError } from '../../store/write.js';
import { adjustExposure } from '../exposure/adjust-exposure.js';
import type { Actor, Services } from '../services.js';
import { insertAudited, rejectTakenExternalIds } from '../write-records.js';
import { type CreditPosition, creditPosition } from './credit-position.js';
import { rateLookupFor } from './fx-rates.js';
import { lockCreditSubject } from './order-lock.js';
import { activePolicy } from './policies.js';

export interface OrderRequest {
  readonly customerId: string;
  readonly externalId: string;
  readonly amountMinor: number;
  readonly currency: string;
  readonly orderedOn?: string;
}

/** How long a held or escalated order may wait in the queue before it is late. */
export const QUEUE_SLA_HOURS = { hold: 24, escalate: 8 } as const;

function statusFor(outcome: Decision['outcome']): 'open' | 'held' | 'declined' {
  if (outcome === 'approve' || outcome === 'approve_with_conditions') return 'open';
  return outcome === 'decline' ? 'declined' : 'held';
}

/** The numbers the policy decides on, from the customer's position and the order. */
async function checkInputFor(
  executor: Executor,
  position: CreditPosition,
  amountMinor: number,
  currency: CurrencyCode,
  today: BusinessDate,
): Promise<CheckInput> {
  let orderMinor = amountMinor;
  let orderRateMissing = false;
  if (currency !== position.currency) {
    const rate = (await rateLookupFor(executor, today, [[currency, position.currency]]))(
      currency,
      position.currency,
    );
    if (rate)
      orderMinor = convert(money(amountMinor, currency), position.currency, rate, 'half_up').amountMinor;
    else orderRateMissing = true;
  }
  return {
    orderMinor,
    customerAgeDays: position.tradingSince ? daysBetween(position.tradingSince, today) : 0,
    riskClass: position.riskClass,
    ratingGrade: position.ratingGrade,
    blacklisted: position.blacklisted,
    stopSupply: position.stopSupply,
    limitMinor: position.limit.totalMinor,
    exposureMinor: position.exposure.totalMinor,
    overdueMinor: position.overdueMinor,
    overdueMinorDays: position.overdueMinorDays,
    groupLimitMinor: position.group?.limitMinor ?? null,
    groupExposureMinor: position.group?.exposure.totalMinor ?? null,
    fxRateMissing:
      orderRateMissing ||
      position.exposure.missingRates.length > 0 ||
      (position.group?.exposure.missingRates.length ?? 0) > 0,
  };
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
  const position = await creditPosition(services.store.db, order.customerId, today);
  const policy = await activePolicy(services.store.db);
  const input = await checkInputFor(services.store.db, position, order.amountMinor, order.currency, today);
  return { decision: policy.evaluate(input), input, currency: position.currency };
}

/**
 * The real-time credit check (C1): decides the order under the active policy and records it with
 * its decision, its reasons and the numbers behind them, in one transaction that holds the
 * customer's and the group's credit lock — so concurrent orders can never together pass a limit.
 * Only an approved order counts against credit at once; a held one when it is released.
 */
export async function placeOrder(services: Services, requester: Actor, request: OrderRequest) {
  const today = services.clock.today();
  const order = validateRequest(request, today);
  const now = services.clock.now();
  return services.store.db
    .transaction()
    .execute(async (trx) => {
      await lockCreditSubject(trx, services.store.dialect, order.customerId);
      await rejectTakenExternalIds(trx, 'orders', [order.externalId]);
      const position = await creditPosition(trx, order.customerId, today);
      const policy = await activePolicy(trx);
      const input = await checkInputFor(trx, position, order.amountMinor, order.currency, today);
      const decision = policy.evaluate(input);
      const status = statusFor(decision.outcome);
      // The credit part in the order's own currency (a partial approval is scaled back exactly once).
      const creditMinor =
        status !== 'open'
          ? 0
          : decision.creditMinor === input.orderMinor
            ? order.amountMinor
            : Math.floor((order.amountMinor * decision.creditMinor) / Math.max(input.orderMinor, 1));
      const slaHours = decision.outcome === 'escalate' ? QUEUE_SLA_HOURS.escalate : QUEUE_SLA_HOURS.hold;
      const row = {
        id: services.ids.next('ord'),
        external_id: order.externalId,
        customer_id: order.customerId,
        ordered_on: order.orderedOn,
        amount_minor: order.amountMinor,
        currency: order.currency,
        status,
        shipped_on: null,
        invoice_id: null,
        created_at: now.toISOString(),
        credit_minor: creditMinor,
        decision_outcome: decision.outcome,
        decision_json: JSON.stringify({ ...decision, currency: position.currency }),
        check_input_json: JSON.stringify(input),
        policy_version: policy.version,
        requested_by: requester,
        decided_by: null,
        decided_at: null,
        sla_due_at: status === 'held' ? new Date(now.getTime() + slaHours * 3_600_000).toISOString() : null,
      };
      const [record] = await insertAudited(trx, 'orders', [row], orderRecord, {
        actor: requester,
        now: row.created_at,
        action: 'order.checked',
      });
      if (creditMinor > 0)
        await adjustExposure(trx, [
          { customerId: row.customer_id, currency: row.currency, openOrdersMinor: creditMinor },
        ]);
      return { order: record as ReturnType<typeof orderRecord>, decision };
    })
    .catch(translateConstraintError);
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
