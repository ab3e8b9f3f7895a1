import { createCustomerGroup } from '../app/customers/create-customer-group.js';
import { createCustomers } from '../app/customers/create-customers.js';
import { idsByExternalId } from '../app/lookup.js';
import { importOrders } from '../app/orders/import-orders.js';
import { createInvoices } from '../app/receivables/create-invoices.js';
import { issueCreditNote } from '../app/receivables/issue-credit-note.js';
import { recordPayments } from '../app/receivables/record-payments.js';
import type { Services } from '../app/services.js';
import { DEFAULT_DEMO, type DemoOptions, generateDemoBook } from './generate.js';

export interface SeedSummary {
  groups: number;
  customers: number;
  orders: number;
  invoices: number;
  payments: number;
  creditNotes: number;
  writeOffs: number;
}

const ACTOR = 'demo-seed';

export async function isBookEmpty(services: Services): Promise<boolean> {
  const any = await services.store.db.selectFrom('customers').select('id').limit(1).executeTakeFirst();
  return any === undefined;
}

/**
 * Writes the generated demo book through the same use cases an ERP import uses, so every record
 * is validated, allocated and audited exactly as real data would be.
 */
export async function seedDemoBook(
  services: Services,
  options: Partial<DemoOptions> = {},
  report: (step: string) => void = () => {},
): Promise<SeedSummary> {
  const book = generateDemoBook({ ...DEFAULT_DEMO, asOf: services.clock.today(), ...options });
  report(`generated ${book.customers.length} customers, ${book.invoices.length} invoices`);
  for (const group of book.groups) await createCustomerGroup(services, ACTOR, group);
  await createCustomers(services, ACTOR, book.customers);
  const orders = await importOrders(services, ACTOR, book.orders);
  const orderIds = new Map(orders.map((o) => [o.externalId, o.id]));
  report(`wrote ${orders.length} orders`);
  await createInvoices(
    services,
    ACTOR,
    book.invoices.map(({ orderExternalId, ...invoice }) => ({
      ...invoice,
      orderId: orderIds.get(orderExternalId) ?? null,
    })),
  );
  report(`wrote ${book.invoices.length} invoices`);
  await recordPayments(services, ACTOR, book.payments);
  report(`wrote ${book.payments.length} payments`);
  const invoiceIds = await idsByExternalId(
    services.store.db,
    'invoices',
    book.creditNotes.map((n) => n.invoiceExternalId),
  );
  for (const note of book.creditNotes) {
    await issueCreditNote(services, ACTOR, {
      ...note,
      invoiceId: invoiceIds.get(note.invoiceExternalId) as string,
    });
  }
  return {
    groups: book.groups.length,
    customers: book.customers.length,
    orders: book.orders.length,
    invoices: book.invoices.length,
    payments: book.payments.length,
    creditNotes: book.creditNotes.filter((n) => n.kind === 'credit_note').length,
    writeOffs: book.creditNotes.filter((n) => n.kind === 'write_off').length,
  };
}
