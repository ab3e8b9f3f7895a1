import type { NewStatement } from '../app/financials/statements.js';
import type { Segment } from '../core/customers/customer.js';
import {
  addDays,
  addMonths,
  type BusinessDate,
  daysBetween,
  toEpochDay,
} from '../core/time/business-date.js';
import {
  chineseCompanyName,
  chineseCore,
  englishCompanyName,
  englishCore,
  FOREIGN,
  SALES_OWNERS,
} from './names.js';
import { type DemoSignal, generateOutsideData } from './outside-data.js';
import { SeededRandom } from './random.js';
import { demoStatements } from './statements.js';

/**
 * How a demo customer behaves over the two years. Each type leaves its own trace in the ledger,
 * so aging, DSO, scoring and dunning all have something real to find.
 */
export type Behaviour = 'prompt' | 'slow' | 'seasonal' | 'deteriorating' | 'disputer' | 'partial';

export interface DemoCustomer {
  externalId: string;
  name: string;
  country: string;
  currency: 'CNY' | 'USD' | 'EUR';
  segment: Segment;
  groupExternalId: string | null;
  salesOwner: string;
  behaviour: Behaviour;
  /** A Chinese company's unified social credit code: how registries and courts name it. */
  registrationId?: string;
}

export interface DemoOrder {
  externalId: string;
  customerExternalId: string;
  orderedOn: BusinessDate;
  amountMinor: number;
  currency: string;
  status: 'open' | 'shipped' | 'invoiced' | 'cancelled';
  shippedOn: BusinessDate | null;
}

export interface DemoInvoice {
  externalId: string;
  customerExternalId: string;
  orderExternalId: string;
  invoiceNumber: string;
  issueDate: BusinessDate;
  dueDate: BusinessDate;
  amountMinor: number;
  currency: string;
}

export interface DemoPayment {
  externalId: string;
  customerExternalId: string;
  invoiceExternalId?: string;
  paidOn: BusinessDate;
  amountMinor: number;
  currency: string;
}

export interface DemoCreditNote {
  externalId: string;
  invoiceExternalId: string;
  kind: 'credit_note' | 'write_off';
  issuedOn: BusinessDate;
  amountMinor: number;
  reason: string;
}

export interface DemoBook {
  groups: { externalId: string; name: string }[];
  customers: DemoCustomer[];
  orders: DemoOrder[];
  invoices: DemoInvoice[];
  payments: DemoPayment[];
  creditNotes: DemoCreditNote[];
  /** What registries, courts and news said about the customers (A7). */
  signals: DemoSignal[];
  /** Balance sheets and income statements of some customers (A5). */
  statements: NewStatement[];
}

export interface DemoOptions {
  readonly seed: number;
  /** The book runs up to this date: "today" for a live demo, fixed in tests. */
  readonly asOf: BusinessDate;
  readonly customers: number;
  readonly months: number;
}

export const DEFAULT_DEMO = { seed: 20_260_101, customers: 500, months: 36 } as const;

const ORDER_SIZE_MINOR: Record<Segment, number> = { small: 1_800_000, mid: 12_000_000, large: 60_000_000 };
const ORDERS_PER_MONTH: Record<Segment, number> = { small: 1.2, mid: 2.5, large: 5 };
const BEHAVIOUR_WEIGHTS: Record<Behaviour, number> = {
  prompt: 45,
  slow: 20,
  seasonal: 14,
  deteriorating: 6,
  disputer: 10,
  partial: 5,
};
// Chinese trade peaks before the Spring Festival and in the autumn; February is quiet.
const SEASON = [1.3, 0.4, 0.9, 0.9, 1.0, 1.0, 0.9, 0.9, 1.3, 1.5, 1.6, 1.6];
const DISPUTE_REASONS = [
  'price difference',
  'short delivery',
  'quality claim',
  'damaged in transit',
  'duplicate billing',
];
const FX_SIZE: Record<DemoCustomer['currency'], number> = { CNY: 1, USD: 0.14, EUR: 0.13 };

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** Deterministic: the same options always give the same book, record for record. */
export function generateDemoBook(options: DemoOptions): DemoBook {
  const random = new SeededRandom(options.seed);
  const start = addMonths(options.asOf, -options.months);
  const book: DemoBook = {
    groups: [],
    customers: [],
    orders: [],
    invoices: [],
    payments: [],
    creditNotes: [],
    signals: [],
    statements: [],
  };
  const defaultDays = new Map<string, number>();
  const names = new Set<string>();
  const unique = (make: () => string): string => {
    for (let attempt = 0; attempt < 50; attempt++) {
      const name = make();
      if (!names.has(name)) {
        names.add(name);
        return name;
      }
    }
    const name = `${make()} ${names.size}`;
    names.add(name);
    return name;
  };

  // About a third of customers belong to groups of 2–6 sister companies sharing a brand.
  const groupCores: { externalId: string; core: string; english: boolean; left: number }[] = [];
  for (let g = 1; g <= Math.round(options.customers / 12); g++) {
    const english = random.chance(0.15);
    const core = english ? englishCore(random) : chineseCore(random);
    const externalId = `G${pad(g, 4)}`;
    const name = unique(() => (english ? `${core} Group` : `${core}集团`));
    book.groups.push({ externalId, name });
    groupCores.push({ externalId, core, english, left: random.int(2, 6) });
  }

  for (let c = 1; c <= options.customers; c++) {
    const group = groupCores.find((g) => g.left > 0 && random.chance(0.4));
    if (group) group.left -= 1;
    const currency = group?.english ? 'USD' : random.weighted({ CNY: 85, USD: 10, EUR: 5 });
    const foreign = currency === 'CNY' ? null : random.pick(FOREIGN[currency]);
    const core = group?.core ?? (foreign ? englishCore(random) : chineseCore(random));
    const customer: DemoCustomer = {
      externalId: `C${pad(c, 5)}`,
      name: unique(() =>
        foreign ? englishCompanyName(random, core, foreign.suffix) : chineseCompanyName(random, core),
      ),
      country: foreign?.country ?? 'CN',
      currency,
      segment: random.weighted({ small: 55, mid: 35, large: 10 }),
      groupExternalId: group?.externalId ?? null,
      salesOwner: random.pick(SALES_OWNERS),
      behaviour: random.weighted(BEHAVIOUR_WEIGHTS),
    };
    book.customers.push(customer);
    defaultDays.set(customer.externalId, generateTrading(random, customer, start, options.asOf, book));
  }
  // From a stream of its own, so the ledger is the same with or without the outside data.
  generateOutsideData(new SeededRandom(options.seed + 7), book, start, options.asOf, defaultDays);
  book.statements.push(
    ...demoStatements(new SeededRandom(options.seed + 11), book, start, options.asOf, defaultDays),
  );
  return book;
}

/** Orders, invoices, payments and credit notes of one customer over the whole period. */
function generateTrading(
  random: SeededRandom,
  customer: DemoCustomer,
  start: BusinessDate,
  asOf: BusinessDate,
  book: DemoBook,
): number {
  const span = daysBetween(start, asOf);
  // Some customers were won during the period: the book has new accounts too.
  const firstDay = random.chance(0.25) ? random.int(0, span - 60) : 0;
  const terms = random.weighted(
    customer.segment === 'large'
      ? { 30: 2, 60: 5, 90: 3 }
      : customer.segment === 'mid'
        ? { 30: 4, 60: 5, 90: 1 }
        : { 30: 7, 60: 3, 90: 0 },
  );
  const termsDays = Number(terms);
  // A deteriorating firm stops paying: most some months before the end (live alerts to work), some
  // in the first year (losses written off by now, the loss history a reserve learns from).
  const defaultDay =
    customer.behaviour !== 'deteriorating'
      ? Number.POSITIVE_INFINITY
      : random.chance(0.35)
        ? random.int(150, Math.max(151, span - 330))
        : span - random.int(90, 270);
  const rate = ORDERS_PER_MONTH[customer.segment] * (0.6 + random.float() * 0.8);
  const size = ORDER_SIZE_MINOR[customer.segment] * FX_SIZE[customer.currency] * (0.5 + random.float());
  let sequence = 0;

  for (let monthStart = firstDay; monthStart < span; monthStart += 30) {
    const date = addDays(start, monthStart);
    const month = Number(date.slice(5, 7)) - 1;
    const season = customer.behaviour === 'seasonal' ? (SEASON[month] ?? 1) ** 2 : 1;
    // Supply dwindles after a default and stops once the debt is being written off.
    const dying = monthStart > defaultDay + 180 ? 0 : monthStart > defaultDay + 60 ? 0.2 : 1;
    const count = random.poisson(rate * season * dying);
    for (let k = 0; k < count; k++) {
      const day = monthStart + random.int(0, 29);
      if (day > span) continue;
      sequence += 1;
      const orderedOn = addDays(start, day);
      const amountMinor = Math.max(100_00, Math.round((size * Math.exp(0.5 * random.normal())) / 100) * 100);
      const orderId = `${customer.externalId}-O${pad(sequence, 4)}`;
      const shipDay = day + random.int(1, 6);
      const order: DemoOrder = {
        externalId: orderId,
        customerExternalId: customer.externalId,
        orderedOn,
        amountMinor,
        currency: customer.currency,
        status: 'invoiced',
        shippedOn: addDays(start, shipDay),
      };
      book.orders.push(order);
      if (random.chance(0.02)) {
        order.status = 'cancelled';
        order.shippedOn = null;
        continue;
      }
      if (shipDay > span) {
        order.status = 'open';
        order.shippedOn = null;
        continue;
      }
      // Shipped in the last few days and not invoiced yet: exposure that is not yet receivable.
      if (span - shipDay < 3 && random.chance(0.5)) {
        order.status = 'shipped';
        continue;
      }
      const issueDate = addDays(start, shipDay);
      const invoice: DemoInvoice = {
        externalId: `${customer.externalId}-I${pad(sequence, 4)}`,
        customerExternalId: customer.externalId,
        orderExternalId: orderId,
        invoiceNumber: `INV-${issueDate.slice(0, 4)}-${customer.externalId.slice(1)}${pad(sequence, 4)}`,
        issueDate,
        dueDate: addDays(issueDate, termsDays),
        amountMinor,
        currency: customer.currency,
      };
      book.invoices.push(invoice);
      settle(random, customer, invoice, shipDay, defaultDay, asOf, book);
    }
  }
  return defaultDay;
}

/** How and when one invoice gets paid, credited or written off, by the customer's behaviour. */
function settle(
  random: SeededRandom,
  customer: DemoCustomer,
  invoice: DemoInvoice,
  issueDay: number,
  defaultDay: number,
  asOf: BusinessDate,
  book: DemoBook,
): void {
  const due = invoice.dueDate;
  const month = Number(due.slice(5, 7)) - 1;
  let delay: number;
  switch (customer.behaviour) {
    case 'prompt':
      delay = Math.round(-2 + 3 * random.normal());
      break;
    case 'slow':
      delay = 10 + Math.round(-25 * Math.log(1 - random.float()));
      break;
    case 'seasonal':
      // Cash is tight after the Spring Festival peak.
      delay = Math.round((month <= 2 ? 15 : 0) + 4 * random.normal());
      break;
    case 'deteriorating': {
      const toDefault = defaultDay - issueDay;
      if (toDefault < 0) delay = Number.POSITIVE_INFINITY;
      else delay = Math.round(Math.max(0, 60 - toDefault / 4) + 5 * random.normal());
      break;
    }
    case 'disputer':
    case 'partial':
      delay = Math.round(8 + 6 * random.normal());
      break;
  }
  delay = Math.max(delay, -daysBetween(invoice.issueDate, due));
  let open = invoice.amountMinor;

  if (customer.behaviour === 'disputer' && random.chance(0.2)) {
    const creditMinor = Math.round((invoice.amountMinor * random.int(5, 20)) / 100);
    const issuedOn = addDays(invoice.issueDate, random.int(10, 40));
    if (issuedOn <= asOf && creditMinor > 0) {
      book.creditNotes.push({
        externalId: `${invoice.externalId}-CN`,
        invoiceExternalId: invoice.externalId,
        kind: 'credit_note',
        issuedOn,
        amountMinor: creditMinor,
        reason: random.pick(DISPUTE_REASONS),
      });
      open -= creditMinor;
      delay += 15;
    }
  }

  if (!Number.isFinite(delay)) {
    // Defaulted: unpaid; written off once it is 180 days past due.
    const writeOffOn = addDays(due, 180);
    if (writeOffOn <= asOf && random.chance(0.7)) {
      book.creditNotes.push({
        externalId: `${invoice.externalId}-WO`,
        invoiceExternalId: invoice.externalId,
        kind: 'write_off',
        issuedOn: writeOffOn,
        amountMinor: open,
        reason: 'customer insolvent; uncollectable after 180 days past due',
      });
    }
    return;
  }

  const instalments = customer.behaviour === 'partial' && random.chance(0.6) ? random.int(2, 3) : 1;
  let paidOn = addDays(due, delay);
  for (let i = 1; i <= instalments && open > 0; i++) {
    if (toEpochDay(paidOn) > toEpochDay(asOf)) return;
    const amountMinor = i === instalments ? open : Math.round(open / (instalments - i + 1) / 100) * 100;
    book.payments.push({
      externalId: `${invoice.externalId}-P${i}`,
      customerExternalId: customer.externalId,
      // Remittances name the invoice, but some prompt payers send none: applied oldest-first.
      ...(customer.behaviour === 'prompt' && random.chance(0.1)
        ? {}
        : { invoiceExternalId: invoice.externalId }),
      paidOn,
      amountMinor,
      currency: invoice.currency,
    });
    open -= amountMinor;
    paidOn = addDays(paidOn, random.int(10, 30));
  }
}
