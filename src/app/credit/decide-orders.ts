import type { Selectable } from 'kysely';
import { DomainError } from '../../core/errors.js';
import type { CurrencyCode } from '../../core/money/currency.js';
import { convert } from '../../core/money/fx.js';
import { money } from '../../core/money/money.js';
import type { CheckInput, Decision } from '../../core/policy/types.js';
import { type BusinessDate, daysBetween } from '../../core/time/business-date.js';
import { orderRecord, type StoredDecision } from '../../store/records.js';
import type { OrderTable } from '../../store/schema.js';
import { type Executor, insertChunked, isPostgres } from '../../store/write.js';
import { adjustExposure } from '../exposure/adjust-exposure.js';
import { idsByExternalId } from '../lookup.js';
import { BatchRejected, rejectDuplicateIds } from '../row-errors.js';
import type { Actor, Services } from '../services.js';
import { creationEntries, insertAudited } from '../write-records.js';
import { type CreditPosition, creditPosition } from './credit-position.js';
import { answerRow, type OrderKey } from './keyed-orders.js';
import { writeOrderRunPostgres } from './order-run-pg.js';
import type { CachingReader, PositionReader } from './position-reader.js';

type OrderRow = Selectable<OrderTable>;

/** An order request after validation. */
export interface ValidOrder {
  readonly customerId: string;
  readonly externalId: string;
  readonly amountMinor: number;
  readonly currency: CurrencyCode;
  readonly orderedOn: BusinessDate;
}

/** How long a held or escalated order may wait in the queue before it is late. */
export const QUEUE_SLA_HOURS = { hold: 24, escalate: 8 } as const;

/** The audit action of a decided order. */
const ORDER_CHECKED = 'order.checked';

function statusFor(outcome: Decision['outcome']): 'open' | 'held' | 'declined' {
  if (outcome === 'approve' || outcome === 'approve_with_conditions') return 'open';
  return outcome === 'decline' ? 'declined' : 'held';
}

/** The numbers the policy decides on, from the customer's position and the order. */
export async function checkInputFor(
  reader: PositionReader,
  position: CreditPosition,
  amountMinor: number,
  currency: CurrencyCode,
  today: BusinessDate,
): Promise<CheckInput> {
  let orderMinor = amountMinor;
  let orderRateMissing = false;
  if (currency !== position.currency) {
    const rate = (await reader.rates(today, [[currency, position.currency]]))(currency, position.currency);
    if (rate)
      orderMinor = convert(money(amountMinor, currency), position.currency, rate, 'half_up').amountMinor;
    else orderRateMissing = true;
  }
  return {
    orderMinor,
    customerAgeDays: position.tradingSince ? daysBetween(position.tradingSince, today) : 0,
    riskClass: position.riskClass,
    ratingGrade: position.ratingGrade,
    // Cleared: its first-contact screen found nothing, or a person reviewed it since (an approved
    // application or a credit review, both of which set the next review).
    screened: position.screenOutcome === 'proceed' || position.nextReviewOn !== null,
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
    warning: position.warning,
    reviewOverdueDays: position.nextReviewOn ? Math.max(0, daysBetween(position.nextReviewOn, today)) : 0,
    insuredLimitMinor: position.insuredLimitMinor,
    insuredCoveragePercent: position.insuredCoveragePercent,
    securedMinor: position.guaranteeMinor,
    regime: await reader.regime(today),
  };
}

/** What an order would get now: its decision, the numbers behind it, the customer's currency. */
export interface Preview {
  readonly decision: Decision;
  readonly input: CheckInput;
  readonly currency: CurrencyCode;
}

/** Decides an order against `reader`'s position without reserving or recording anything. */
export async function previewWith(
  reader: PositionReader,
  order: Pick<ValidOrder, 'customerId' | 'amountMinor' | 'currency'>,
  today: BusinessDate,
): Promise<Preview> {
  const position = await creditPosition(reader, order.customerId, today);
  const policy = await reader.policy();
  const input = await checkInputFor(reader, position, order.amountMinor, order.currency, today);
  return { decision: policy.evaluate(input), input, currency: position.currency };
}

export interface PendingOrder {
  readonly requester: Actor;
  readonly order: ValidOrder;
  /** The request's Idempotency-Key, whose answer is recorded with the order. */
  readonly key?: OrderKey;
}

export interface PlacedOrder {
  readonly order: ReturnType<typeof orderRecord>;
  readonly decision: Decision;
}

/** A placed order (a keyed one with the answer recorded for its key), or the reason it was refused. */
export type OrderOutcome =
  | { readonly placed: PlacedOrder; readonly answer?: string }
  | { readonly refused: DomainError };

/**
 * Orders whose external id is taken (`taken`, when the caller read it already), or repeated earlier
 * in the run, are refused one by one.
 */
async function takenExternalIds(
  trx: Executor,
  pending: readonly PendingOrder[],
  taken: ReadonlySet<string> | undefined,
) {
  const externalIds = pending.map((p) => p.order.externalId);
  const refused = new Map<number, DomainError>();
  try {
    rejectDuplicateIds(
      externalIds,
      taken ?? new Set((await idsByExternalId(trx, 'orders', externalIds)).keys()),
    );
  } catch (error) {
    if (!(error instanceof BatchRejected)) throw error;
    for (const e of error.errors) refused.set(e.index, new DomainError(e.code, e.message, e.field));
  }
  return refused;
}

/**
 * Decides a run of orders one after the other under the active policy and records each with its
 * decision, its reasons and the numbers behind them, in the caller's transaction — which must
 * hold the credit lock of every customer in the run. Each approval is added to the reader's
 * balances before the next order is decided, so orders in one run can never together pass a
 * limit. Only an approved order counts against credit at once; a held one when it is released.
 * An order the store refuses (unknown customer, taken external id) is refused alone. A keyed order
 * placed has its key's answer recorded with it (a key another process answered meanwhile fails the
 * insert, and with it the run).
 */
export async function decideOrders(
  trx: Executor,
  reader: CachingReader,
  pending: readonly PendingOrder[],
  services: Services,
  takenOrderExternalIds?: ReadonlySet<string>,
): Promise<OrderOutcome[]> {
  const today = services.clock.today();
  const now = services.clock.now();
  const createdAt = now.toISOString();
  const refused = await takenExternalIds(trx, pending, takenOrderExternalIds);
  const decided: {
    index: number;
    row: OrderRow;
    decision: Decision;
    stored: StoredDecision;
    creditMinor: number;
    key: OrderKey | undefined;
  }[] = [];
  for (const [index, { requester, order, key }] of pending.entries()) {
    if (refused.has(index)) continue;
    let position: CreditPosition;
    try {
      position = await creditPosition(reader, order.customerId, today);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      refused.set(index, error);
      continue;
    }
    const policy = await reader.policy();
    const input = await checkInputFor(reader, position, order.amountMinor, order.currency, today);
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
    const stored: StoredDecision = { ...decision, currency: position.currency };
    const row: OrderRow = {
      id: services.ids.next('ord'),
      external_id: order.externalId,
      customer_id: order.customerId,
      ordered_on: order.orderedOn,
      amount_minor: order.amountMinor,
      currency: order.currency,
      status,
      shipped_on: null,
      invoice_id: null,
      created_at: createdAt,
      credit_minor: creditMinor,
      decision_outcome: decision.outcome,
      decision_json: JSON.stringify(stored),
      check_input_json: JSON.stringify(input),
      policy_version: policy.version,
      requested_by: requester,
      decided_by: null,
      decided_at: null,
      sla_due_at: status === 'held' ? new Date(now.getTime() + slaHours * 3_600_000).toISOString() : null,
    };
    if (creditMinor > 0) reader.addExposure(order.customerId, order.currency, creditMinor);
    decided.push({ index, row, decision, stored, creditMinor, key });
  }
  const records = new Map(decided.map((d) => [d.row.id, orderRecord(d.row, 'en', d.stored)]));
  const recordOf = (id: string) => records.get(id) as PlacedOrder['order'];
  // A keyed order's answer is recorded with it: the order and its answer commit together or not at all.
  const answers = new Map<number, string>();
  const answerRows = decided.flatMap((d) => {
    if (!d.key) return [];
    const answer = d.key.answer({ order: recordOf(d.row.id), decision: d.decision });
    answers.set(d.index, answer);
    return [answerRow(d.key, answer, createdAt)];
  });
  const deltas = decided
    .filter((d) => d.creditMinor > 0)
    .map((d) => ({
      customerId: d.row.customer_id,
      currency: d.row.currency,
      openOrdersMinor: d.creditMinor,
    }));
  // One audit batch per requester: its events carry who placed the orders.
  const batches = [...new Set(decided.map((d) => d.row.requested_by as Actor))].map((requester) => ({
    requester,
    theirs: decided.filter((d) => d.row.requested_by === requester),
  }));
  if (isPostgres(trx)) {
    const audited = batches.map(({ requester, theirs }) => ({
      actor: requester,
      orders: theirs.map((d) => d.row),
      entries: creationEntries(
        'orders',
        ORDER_CHECKED,
        theirs.map((d) => recordOf(d.row.id)),
      ),
    }));
    await writeOrderRunPostgres(trx, {
      batches: audited,
      occurredAt: createdAt,
      deltas,
      answers: answerRows,
    });
  } else {
    for (const { requester, theirs } of batches)
      await insertAudited(
        trx,
        'orders',
        theirs.map((d) => d.row),
        (r) => recordOf(r.id),
        { actor: requester, now: createdAt, action: ORDER_CHECKED },
      );
    await adjustExposure(trx, deltas);
    await insertChunked(trx, 'idempotency_keys', answerRows);
  }
  const placed = new Map(decided.map((d) => [d.index, { order: recordOf(d.row.id), decision: d.decision }]));
  // Every order was either decided or refused above.
  return pending.map((_, index) => {
    const order = placed.get(index);
    if (!order) return { refused: refused.get(index) as DomainError };
    const answer = answers.get(index);
    return answer === undefined ? { placed: order } : { placed: order, answer };
  });
}

/** A placed order's outcome (with its key's answer, if keyed), or the refusal thrown. */
export function placedOrThrow(outcome: OrderOutcome | undefined) {
  if (!outcome) throw new Error('no outcome for an order');
  if ('refused' in outcome) throw outcome.refused;
  return outcome;
}
