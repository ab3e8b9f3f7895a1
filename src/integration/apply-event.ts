import { placeOrder } from '../app/credit/place-order.js';
import { createCustomers } from '../app/customers/create-customers.js';
import { idsByExternalId } from '../app/lookup.js';
import { createInvoices } from '../app/receivables/create-invoices.js';
import { issueCreditNote } from '../app/receivables/issue-credit-note.js';
import { recordPayments } from '../app/receivables/record-payments.js';
import { BatchRejected } from '../app/row-errors.js';
import type { Services } from '../app/services.js';
import { DomainError } from '../core/errors.js';

/** The kinds of ERP event Fulcrum reads, by the last part of their subject (`fulcrum.in.<kind>`). */
export const EVENT_KINDS = ['customers', 'orders', 'invoices', 'payments', 'credit-notes'] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

const ACTOR = 'erp:nats';

type Body = Record<string, unknown>;

function text(body: Body, field: string): string {
  const value = body[field];
  if (typeof value !== 'string') throw new DomainError('required', `${field} must be a string`, field);
  return value;
}

function optionalText(body: Body, field: string): string | undefined {
  const value = body[field];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new DomainError('invalid_request', `${field} must be a string`, field);
  return value;
}

function minor(body: Body): number {
  const value = body.amountMinor;
  if (typeof value !== 'number')
    throw new DomainError('invalid_amount', 'amountMinor must be a number', 'amountMinor');
  return value;
}

/** A batch of one refused: its first problem, as the error of the event. */
function single<T>(work: Promise<T>): Promise<T> {
  return work.catch((error: unknown) => {
    if (!(error instanceof BatchRejected)) throw error;
    const first = error.errors[0];
    throw new DomainError(first?.code ?? 'invalid_request', first?.message ?? error.message, first?.field);
  });
}

const customerInput = (body: Body) => ({
  externalId: text(body, 'externalId'),
  name: text(body, 'name'),
  country: text(body, 'country'),
  currency: text(body, 'currency'),
  segment: text(body, 'segment'),
  groupExternalId: optionalText(body, 'groupExternalId') ?? null,
  salesOwner: optionalText(body, 'salesOwner') ?? null,
});

const invoiceInput = (body: Body) => ({
  externalId: text(body, 'externalId'),
  customerExternalId: text(body, 'customerExternalId'),
  invoiceNumber: text(body, 'invoiceNumber'),
  issueDate: text(body, 'issueDate'),
  dueDate: text(body, 'dueDate'),
  amountMinor: minor(body),
  currency: text(body, 'currency'),
});

function paymentInput(body: Body) {
  const invoiceExternalId = optionalText(body, 'invoiceExternalId');
  return {
    externalId: text(body, 'externalId'),
    customerExternalId: text(body, 'customerExternalId'),
    ...(invoiceExternalId ? { invoiceExternalId } : {}),
    paidOn: text(body, 'paidOn'),
    amountMinor: minor(body),
    currency: text(body, 'currency'),
  };
}

/**
 * The kinds whose events can be written many at once, through the same batch use cases as the
 * imports: all of a run or none (a refused run is then applied event by event).
 */
export const BULK_KINDS: Partial<
  Record<EventKind, (services: Services, bodies: readonly Body[]) => Promise<unknown>>
> = {
  customers: (services, bodies) => createCustomers(services, ACTOR, bodies.map(customerInput)),
  invoices: (services, bodies) => createInvoices(services, ACTOR, bodies.map(invoiceInput)),
  payments: (services, bodies) => recordPayments(services, ACTOR, bodies.map(paymentInput)),
};

/**
 * Applies one ERP event through the same use cases as the API and the imports, with the same
 * validation: bodies are the canonical CSV columns in camelCase, amounts in minor units. An order
 * is checked live, like POST /v1/orders; its decision goes out on fulcrum.out.order.
 */
export async function applyEvent(services: Services, kind: EventKind, body: Body): Promise<void> {
  switch (kind) {
    case 'customers':
      await single(createCustomers(services, ACTOR, [customerInput(body)]));
      return;
    case 'orders': {
      const externalId = text(body, 'customerExternalId');
      const customerId = (await idsByExternalId(services.store.db, 'customers', [externalId])).get(
        externalId,
      );
      if (!customerId)
        throw new DomainError('customer_not_found', `no customer ${externalId}`, 'customerExternalId');
      const orderedOn = optionalText(body, 'orderedOn');
      await placeOrder(services, ACTOR, {
        customerId,
        externalId: text(body, 'externalId'),
        amountMinor: minor(body),
        currency: text(body, 'currency'),
        ...(orderedOn ? { orderedOn } : {}),
      });
      return;
    }
    case 'invoices':
      await single(createInvoices(services, ACTOR, [invoiceInput(body)]));
      return;
    case 'payments':
      await single(recordPayments(services, ACTOR, [paymentInput(body)]));
      return;
    case 'credit-notes': {
      const invoiceExternalId = text(body, 'invoiceExternalId');
      const invoiceId = (await idsByExternalId(services.store.db, 'invoices', [invoiceExternalId])).get(
        invoiceExternalId,
      );
      if (!invoiceId)
        throw new DomainError('invoice_not_found', `no invoice ${invoiceExternalId}`, 'invoiceExternalId');
      const kind = optionalText(body, 'kind') ?? 'credit_note';
      if (kind !== 'credit_note' && kind !== 'write_off')
        throw new DomainError('invalid_request', 'kind must be credit_note or write_off', 'kind');
      await issueCreditNote(services, ACTOR, {
        invoiceId,
        externalId: text(body, 'externalId'),
        issuedOn: text(body, 'issuedOn'),
        amountMinor: minor(body),
        reason: text(body, 'reason'),
        kind,
      });
      return;
    }
  }
}
