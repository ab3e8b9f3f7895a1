import { invariant } from '../errors.js';
import { AGING_BUCKETS, type AgingBuckets, emptyBuckets } from './aging.js';

/**
 * The receivables ledger as columns — one typed array per field, an invoice at the slot its store
 * gives it — so that the whole book ages in one loop over a million invoices in milliseconds, as of
 * today or of any past date, in total or per customer. The ledger only grows (money is corrected
 * with new entries, never edited): an invoice's open amount at a date is its amount less the
 * payments applied and credit notes issued up to that date.
 */
export class LedgerColumns {
  private issueDay = new Int32Array(0);
  private dueDay = new Int32Array(0);
  /** The invoice's month of issue as year × 12 + month − 1. */
  private issueMonth = new Int32Array(0);
  private amount = new Float64Array(0);
  /** What every entry so far has taken off the invoice: its open amount today is amount − settled. */
  private settled = new Float64Array(0);
  private currency = new Uint16Array(0);
  private customer = new Int32Array(0);
  /** Slots that hold an invoice (a store may leave gaps). */
  private present = new Uint8Array(0);
  private slots = 0;

  private entryInvoice = new Int32Array(0);
  private entryDay = new Int32Array(0);
  private entryAmount = new Float64Array(0);
  private entries = 0;
  private latestEntryDay = Number.NEGATIVE_INFINITY;

  private readonly currencyCodes: string[] = [];
  private readonly currencyIndex = new Map<string, number>();
  private readonly customerIds: string[] = [];
  private readonly customerIndex = new Map<string, number>();

  get invoiceCount(): number {
    let n = 0;
    for (let s = 0; s < this.slots; s++) n += this.present[s] as number;
    return n;
  }

  get entryCount(): number {
    return this.entries;
  }

  /** The customers in the order their indexes number them (for a breakdown's keys). */
  get customers(): readonly string[] {
    return this.customerIds;
  }

  addInvoice(
    slot: number,
    invoice: {
      readonly issueDay: number;
      readonly dueDay: number;
      readonly amountMinor: number;
      readonly currency: string;
      readonly customerId: string;
    },
  ): void {
    invariant(Number.isInteger(slot) && slot >= 0, 'an invoice slot is a non-negative integer');
    invariant(!this.present[slot], 'an invoice slot is written once');
    if (slot >= this.issueDay.length) this.growInvoices(slot + 1);
    this.issueDay[slot] = invoice.issueDay;
    this.dueDay[slot] = invoice.dueDay;
    this.issueMonth[slot] = monthOfDay(invoice.issueDay);
    this.amount[slot] = invoice.amountMinor;
    this.currency[slot] = intern(invoice.currency, this.currencyCodes, this.currencyIndex);
    this.customer[slot] = intern(invoice.customerId, this.customerIds, this.customerIndex);
    this.present[slot] = 1;
    this.slots = Math.max(this.slots, slot + 1);
  }

  /** A payment applied to, or a credit note issued against, the invoice at `slot` on `day`. */
  addEntry(slot: number, day: number, amountMinor: number): void {
    invariant(this.present[slot] === 1, 'an entry belongs to an invoice already in the ledger');
    if (this.entries === this.entryDay.length) this.growEntries(this.entries + 1);
    this.entryInvoice[this.entries] = slot;
    this.entryDay[this.entries] = day;
    this.entryAmount[this.entries] = amountMinor;
    this.entries += 1;
    this.settled[slot] = (this.settled[slot] as number) + amountMinor;
    if (day > this.latestEntryDay) this.latestEntryDay = day;
  }

  /**
   * Open amounts by aging bucket at the end of `asOfDay`, per currency — and, with `keyOf`, per key
   * (a customer index mapped to a breakdown key index, or −1 to leave it out).
   */
  aging(
    asOfDay: number,
    keyOf?: (customerIndex: number) => number,
  ): { currency: string; key: number; buckets: AgingBuckets }[] {
    const taken = this.takenBy(asOfDay);
    const currencies = this.currencyCodes.length;
    const keys = keyOf ? this.keyTable(keyOf) : null;
    const width = currencies * AGING_BUCKETS.length;
    let keyCount = 1;
    if (keys) for (const key of keys) keyCount = Math.max(keyCount, key + 1);
    const sums = new Float64Array(keyCount * width);
    const { issueDay, dueDay, amount, currency, customer, present } = this;
    for (let s = 0; s < this.slots; s++) {
      if (present[s] === 0 || (issueDay[s] as number) > asOfDay) continue;
      const open = (amount[s] as number) - (taken[s] as number);
      if (open <= 0) continue;
      const key = keys ? (keys[customer[s] as number] as number) : 0;
      if (key < 0) continue;
      const late = asOfDay - (dueDay[s] as number);
      const bucket = late <= 0 ? 0 : late <= 30 ? 1 : late <= 60 ? 2 : late <= 90 ? 3 : 4;
      const at = key * width + (currency[s] as number) * AGING_BUCKETS.length + bucket;
      sums[at] = (sums[at] as number) + open;
    }
    const out: { currency: string; key: number; buckets: AgingBuckets }[] = [];
    for (let key = 0; key < keyCount; key++)
      for (let c = 0; c < currencies; c++) {
        const at = key * width + c * AGING_BUCKETS.length;
        let any = false;
        const buckets = emptyBuckets();
        AGING_BUCKETS.forEach((b, k) => {
          buckets[b] = sums[at + k] as number;
          if (buckets[b] !== 0) any = true;
        });
        if (any) out.push({ currency: this.currencyCodes[c] as string, key, buckets });
      }
    return out;
  }

  /** Invoiced amounts per month of issue (`year × 12 + month − 1`, inclusive range) and currency. */
  salesByMonth(
    fromMonth: number,
    toMonth: number,
  ): { month: number; currency: string; amountMinor: number }[] {
    const currencies = this.currencyCodes.length;
    const months = Math.max(0, toMonth - fromMonth + 1);
    const sums = new Float64Array(months * currencies);
    const { issueMonth, amount, currency, present } = this;
    for (let s = 0; s < this.slots; s++) {
      const m = (issueMonth[s] as number) - fromMonth;
      if (present[s] === 0 || m < 0 || m >= months) continue;
      const at = m * currencies + (currency[s] as number);
      sums[at] = (sums[at] as number) + (amount[s] as number);
    }
    const out: { month: number; currency: string; amountMinor: number }[] = [];
    for (let m = 0; m < months; m++)
      for (let c = 0; c < currencies; c++) {
        const amountMinor = sums[m * currencies + c] as number;
        if (amountMinor !== 0)
          out.push({ month: fromMonth + m, currency: this.currencyCodes[c] as string, amountMinor });
      }
    return out;
  }

  /** What entries dated up to `asOfDay` took off each invoice (all of them when none is later). */
  private takenBy(asOfDay: number): Float64Array {
    if (asOfDay >= this.latestEntryDay) return this.settled;
    const taken = new Float64Array(this.slots);
    const { entryInvoice, entryDay, entryAmount } = this;
    for (let e = 0; e < this.entries; e++)
      if ((entryDay[e] as number) <= asOfDay) {
        const slot = entryInvoice[e] as number;
        taken[slot] = (taken[slot] as number) + (entryAmount[e] as number);
      }
    return taken;
  }

  private keyTable(keyOf: (customerIndex: number) => number): Int32Array {
    const keys = new Int32Array(this.customerIds.length);
    for (let c = 0; c < keys.length; c++) keys[c] = keyOf(c);
    return keys;
  }

  private growInvoices(needed: number): void {
    const size = Math.max(needed, this.issueDay.length * 2, 1024);
    this.issueDay = grown(this.issueDay, size);
    this.dueDay = grown(this.dueDay, size);
    this.issueMonth = grown(this.issueMonth, size);
    this.amount = grown(this.amount, size);
    this.settled = grown(this.settled, size);
    this.currency = grown(this.currency, size);
    this.customer = grown(this.customer, size);
    this.present = grown(this.present, size);
  }

  private growEntries(needed: number): void {
    const size = Math.max(needed, this.entryDay.length * 2, 1024);
    this.entryInvoice = grown(this.entryInvoice, size);
    this.entryDay = grown(this.entryDay, size);
    this.entryAmount = grown(this.entryAmount, size);
  }
}

type TypedArray = Int32Array | Float64Array | Uint16Array | Uint8Array;

function grown<A extends TypedArray>(array: A, size: number): A {
  const next = new (array.constructor as new (n: number) => A)(size);
  next.set(array);
  return next;
}

function intern(value: string, list: string[], index: Map<string, number>): number {
  let at = index.get(value);
  if (at === undefined) {
    at = list.length;
    list.push(value);
    index.set(value, at);
  }
  return at;
}

const monthsOfDays = new Map<number, number>();

/** `year × 12 + month − 1` of an epoch day (a book has a few thousand distinct days). */
export function monthOfDay(epochDay: number): number {
  let month = monthsOfDays.get(epochDay);
  if (month === undefined) {
    const date = new Date(epochDay * 86_400_000);
    month = date.getUTCFullYear() * 12 + date.getUTCMonth();
    monthsOfDays.set(epochDay, month);
  }
  return month;
}
