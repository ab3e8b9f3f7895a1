import { sql } from 'kysely';
import { compactRegistrationId } from '../../core/customers/registration-id.js';
import { DomainError } from '../../core/errors.js';
import type { Dialect } from '../db.js';
import { inIdSet } from '../id-set.js';
import { containsText } from '../like.js';
import { type PageRequest, paginate } from '../page.js';
import {
  allocationRecord,
  creditNoteRecord,
  customerRecord,
  groupRecord,
  invoiceRecord,
  orderRecord,
  paymentRecord,
} from '../records.js';
import type { Executor } from '../write.js';

export interface CustomerFilter extends PageRequest {
  readonly groupId?: string;
  readonly segment?: string;
  readonly salesOwner?: string;
  readonly registrationId?: string;
  readonly name?: string;
  /** Part of the name, or the whole external id or registration id. */
  readonly search?: string;
  /** One collector's accounts (a username), or nobody's (null). */
  readonly collector?: string | null;
  /** By name or external id, `-` first for descending; by id (creation) when absent. */
  readonly sort?: CustomerSort;
  /** Only these customers (found by what SQL cannot see, such as utilisation). */
  readonly within?: { readonly ids: readonly string[]; readonly dialect: Dialect };
}

export const CUSTOMER_SORTS = ['name', '-name', 'externalId', '-externalId'] as const;
export type CustomerSort = (typeof CUSTOMER_SORTS)[number];

/** The customers a list's filters keep (all but `within`), before any order or page. */
function filteredCustomers(db: Executor, f: CustomerFilter) {
  let q = db.selectFrom('customers').selectAll();
  if (f.collector === null) q = q.where('collector', 'is', null);
  else if (f.collector !== undefined) q = q.where('collector', '=', f.collector);
  if (f.search) {
    const search = f.search;
    q = q.where((eb) =>
      eb.or([
        containsText(sql`name`, search),
        eb('external_id', '=', search),
        eb('registration_id', '=', compactRegistrationId(search)),
      ]),
    );
  }
  if (f.groupId) q = q.where('group_id', '=', f.groupId);
  if (f.segment) q = q.where('segment', '=', f.segment);
  if (f.salesOwner) q = q.where('sales_owner', '=', f.salesOwner);
  if (f.registrationId) q = q.where('registration_id', '=', compactRegistrationId(f.registrationId));
  if (f.name) q = q.where(containsText(sql`name`, f.name));
  return q;
}

/** The customers the filters keep, id and currency, if there are at most `max` of them (else null). */
export async function customersMatching(db: Executor, f: CustomerFilter, max: number) {
  const rows = await filteredCustomers(db, f)
    .clearSelect()
    .select(['customers.id', 'customers.currency'])
    .limit(max + 1)
    .execute();
  return rows.length > max ? null : rows;
}

export function listCustomers(db: Executor, f: CustomerFilter) {
  let q = filteredCustomers(db, f);
  if (f.within) q = q.where(inIdSet('customers.id', f.within.ids, f.within.dialect));
  const byExternalId = f.sort?.endsWith('externalId');
  const sort = f.sort && {
    column: byExternalId ? 'customers.external_id' : 'customers.name',
    descending: f.sort.startsWith('-'),
    valueOf: (row: { name: string; external_id: string }) => (byExternalId ? row.external_id : row.name),
  };
  return paginate(q, 'customers.id', f, customerRecord, sort);
}

export async function getCustomer(db: Executor, id: string) {
  const row = await db.selectFrom('customers').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new DomainError('customer_not_found', `customer ${id} does not exist`);
  return customerRecord(row);
}

export function listGroups(db: Executor, f: PageRequest) {
  return paginate(db.selectFrom('customer_groups').selectAll(), 'customer_groups.id', f, groupRecord);
}

export async function getGroup(db: Executor, id: string) {
  const row = await db.selectFrom('customer_groups').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new DomainError('group_not_found', `customer group ${id} does not exist`);
  const members = await db
    .selectFrom('customers')
    .select('id')
    .where('group_id', '=', id)
    .orderBy('id')
    .execute();
  return { ...groupRecord(row), memberIds: members.map((m) => m.id) };
}

export interface InvoiceFilter extends PageRequest {
  readonly customerId?: string;
  readonly status?: 'open' | 'settled';
}

export function listInvoices(db: Executor, f: InvoiceFilter) {
  let q = db.selectFrom('invoices').selectAll();
  if (f.customerId) q = q.where('customer_id', '=', f.customerId);
  if (f.status === 'open') q = q.where('open_minor', '>', 0);
  if (f.status === 'settled') q = q.where('open_minor', '=', 0);
  return paginate(q, 'invoices.id', f, invoiceRecord);
}

/** An invoice with everything that settled it: the open amount can be checked by hand. */
export async function getInvoice(db: Executor, id: string) {
  const row = await db.selectFrom('invoices').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new DomainError('invoice_not_found', `invoice ${id} does not exist`);
  const allocations = await db
    .selectFrom('allocations')
    .selectAll()
    .where('invoice_id', '=', id)
    .orderBy('id')
    .execute();
  const notes = await db
    .selectFrom('credit_notes')
    .selectAll()
    .where('invoice_id', '=', id)
    .orderBy('id')
    .execute();
  return {
    ...invoiceRecord(row),
    allocations: allocations.map(allocationRecord),
    creditNotes: notes.map(creditNoteRecord),
  };
}

export interface ByCustomer extends PageRequest {
  readonly customerId?: string;
}

export function listPayments(db: Executor, f: ByCustomer) {
  let q = db.selectFrom('payments').selectAll();
  if (f.customerId) q = q.where('customer_id', '=', f.customerId);
  return paginate(q, 'payments.id', f, paymentRecord);
}

export async function getPayment(db: Executor, id: string) {
  const row = await db.selectFrom('payments').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new DomainError('payment_not_found', `payment ${id} does not exist`);
  const allocations = await db
    .selectFrom('allocations')
    .selectAll()
    .where('payment_id', '=', id)
    .orderBy('id')
    .execute();
  return { ...paymentRecord(row), allocations: allocations.map(allocationRecord) };
}

export interface CreditNoteFilter extends ByCustomer {
  readonly invoiceId?: string;
  readonly kind?: string;
}

export function listCreditNotes(db: Executor, f: CreditNoteFilter) {
  let q = db.selectFrom('credit_notes').selectAll();
  if (f.customerId) q = q.where('customer_id', '=', f.customerId);
  if (f.invoiceId) q = q.where('invoice_id', '=', f.invoiceId);
  if (f.kind) q = q.where('kind', '=', f.kind);
  return paginate(q, 'credit_notes.id', f, creditNoteRecord);
}

export interface OrderFilter extends ByCustomer {
  readonly status?: string;
}

export function listOrders(db: Executor, f: OrderFilter) {
  let q = db.selectFrom('orders').selectAll();
  if (f.customerId) q = q.where('customer_id', '=', f.customerId);
  if (f.status) q = q.where('status', '=', f.status);
  return paginate(q, 'orders.id', f, orderRecord);
}
