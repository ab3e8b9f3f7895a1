import type { Selectable } from 'kysely';
import type { Segment } from '../core/customers/customer.js';
import type { CurrencyCode } from '../core/money/currency.js';
import { explainDecision, type Locale } from '../core/policy/explain.js';
import type { Decision } from '../core/policy/types.js';
import type { SettlementKind } from '../core/receivables/credit-note.js';
import type {
  AllocationTable,
  CreditNoteTable,
  CustomerGroupTable,
  CustomerTable,
  InvoiceTable,
  OrderTable,
  PaymentTable,
} from './schema.js';

/** Rows as the API and the audit log show them: camelCase, amounts with `Minor`, dates as text. */
export function customerRecord(row: Selectable<CustomerTable>) {
  return {
    id: row.id,
    externalId: row.external_id,
    name: row.name,
    country: row.country,
    currency: row.currency,
    segment: row.segment as Segment,
    groupId: row.group_id,
    salesOwner: row.sales_owner,
    registrationId: row.registration_id,
    collector: row.collector,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
export type CustomerRecord = ReturnType<typeof customerRecord>;

export function groupRecord(row: Selectable<CustomerGroupTable>) {
  return { id: row.id, externalId: row.external_id, name: row.name, createdAt: row.created_at };
}

export function invoiceRecord(row: Selectable<InvoiceTable>) {
  return {
    id: row.id,
    externalId: row.external_id,
    customerId: row.customer_id,
    orderId: row.order_id,
    invoiceNumber: row.invoice_number,
    issueDate: row.issue_date,
    dueDate: row.due_date,
    amountMinor: row.amount_minor,
    openMinor: row.open_minor,
    currency: row.currency,
    settledOn: row.settled_on,
    createdAt: row.created_at,
  };
}

export function paymentRecord(row: Selectable<PaymentTable>) {
  return {
    id: row.id,
    externalId: row.external_id,
    customerId: row.customer_id,
    paidOn: row.paid_on,
    amountMinor: row.amount_minor,
    unappliedMinor: row.unapplied_minor,
    currency: row.currency,
    createdAt: row.created_at,
  };
}

export function allocationRecord(row: Selectable<AllocationTable>) {
  return {
    id: row.id,
    paymentId: row.payment_id,
    invoiceId: row.invoice_id,
    amountMinor: row.amount_minor,
    appliedOn: row.applied_on,
  };
}

export function creditNoteRecord(row: Selectable<CreditNoteTable>) {
  return {
    id: row.id,
    externalId: row.external_id,
    customerId: row.customer_id,
    invoiceId: row.invoice_id,
    kind: row.kind as SettlementKind,
    issuedOn: row.issued_on,
    amountMinor: row.amount_minor,
    currency: row.currency,
    reason: row.reason,
    createdAt: row.created_at,
  };
}

/** A stored decision keeps the currency its amounts are in (the customer's) so it can be explained. */
export type StoredDecision = Decision & { currency: CurrencyCode };

/** `decided`: the decision the row's `decision_json` was just written from, so it is not parsed back. */
export function orderRecord(row: Selectable<OrderTable>, locale: Locale = 'en', decided?: StoredDecision) {
  const stored = decided ?? (row.decision_json ? (JSON.parse(row.decision_json) as StoredDecision) : null);
  return {
    id: row.id,
    externalId: row.external_id,
    customerId: row.customer_id,
    orderedOn: row.ordered_on,
    amountMinor: row.amount_minor,
    currency: row.currency,
    status: row.status,
    shippedOn: row.shipped_on,
    invoiceId: row.invoice_id,
    createdAt: row.created_at,
    creditMinor: row.credit_minor,
    decision: stored ? explainDecision(stored, stored.currency, locale) : null,
    policyVersion: row.policy_version,
    requestedBy: row.requested_by,
    decidedBy: row.decided_by,
    decidedAt: row.decided_at,
    slaDueAt: row.sla_due_at,
  };
}
