import type { ExposureBalance, RateLookup } from '../../core/exposure/exposure.js';
import type { CurrencyCode } from '../../core/money/currency.js';
import type { FxRate } from '../../core/money/fx.js';
import type { BusinessDate } from '../../core/time/business-date.js';
import type { Executor } from '../../store/write.js';
import { rateLookupFor } from './fx-rates.js';
import { type ActivePolicy, activePolicy } from './policies.js';

export type LimitSubject = { readonly type: 'customer' | 'group'; readonly id: string };

export interface CustomerCreditRow {
  readonly id: string;
  readonly currency: string;
  readonly group_id: string | null;
  readonly risk_class: string;
  readonly rating_grade: number | null;
  readonly rating_source: string;
  readonly blacklisted: number;
  readonly stop_supply: number;
  readonly trading_since: string | null;
  readonly insured_limit_minor: number | null;
  readonly insured_coverage_percent: number | null;
  readonly guarantee_minor: number | null;
}

export interface LimitRow {
  readonly kind: string;
  readonly amount_minor: number;
  readonly currency: string;
  readonly starts_on: string;
  readonly expires_on: string | null;
  readonly tiers_json: string | null;
  readonly released_percent: number;
}

export interface OverdueItem {
  readonly open_minor: number;
  readonly due_date: string;
  readonly currency: string;
}

/** The rows a credit position is computed from: read from the store, or from a cache of it. */
export interface PositionReader {
  customer(id: string): Promise<CustomerCreditRow | undefined>;
  balances(customerIds: readonly string[]): Promise<ExposureBalance[]>;
  overdue(customerId: string, today: BusinessDate): Promise<OverdueItem[]>;
  groupMembers(groupId: string): Promise<string[]>;
  limits(subject: LimitSubject): Promise<LimitRow[]>;
  rates(today: BusinessDate, pairs: readonly [CurrencyCode, CurrencyCode][]): Promise<RateLookup>;
  policy(): Promise<ActivePolicy>;
}

/** Reads every row from the store, in the caller's transaction. */
export function storeReader(executor: Executor): PositionReader {
  return {
    customer: (id) =>
      executor
        .selectFrom('customers')
        .innerJoin('credit_profiles', 'credit_profiles.customer_id', 'customers.id')
        .select([
          'customers.id',
          'customers.currency',
          'customers.group_id',
          'credit_profiles.risk_class',
          'credit_profiles.rating_grade',
          'credit_profiles.rating_source',
          'credit_profiles.blacklisted',
          'credit_profiles.stop_supply',
          'credit_profiles.trading_since',
          'credit_profiles.insured_limit_minor',
          'credit_profiles.insured_coverage_percent',
          'credit_profiles.guarantee_minor',
        ])
        .where('customers.id', '=', id)
        .executeTakeFirst(),
    async balances(customerIds) {
      if (customerIds.length === 0) return [];
      const rows = await executor
        .selectFrom('exposure_balances')
        .selectAll()
        .where('customer_id', 'in', customerIds)
        .execute();
      return rows.map((r) => ({
        currency: r.currency as CurrencyCode,
        receivablesMinor: r.receivables_minor,
        openOrdersMinor: r.open_orders_minor,
        shippedMinor: r.shipped_minor,
      }));
    },
    overdue: (customerId, today) =>
      executor
        .selectFrom('invoices')
        .select(['open_minor', 'due_date', 'currency'])
        .where('customer_id', '=', customerId)
        .where('open_minor', '>', 0)
        .where('due_date', '<', today)
        .execute(),
    async groupMembers(groupId) {
      const rows = await executor
        .selectFrom('customers')
        .select('id')
        .where('group_id', '=', groupId)
        .execute();
      return rows.map((r) => r.id);
    },
    limits: (subject) =>
      executor
        .selectFrom('credit_limits')
        .select([
          'kind',
          'amount_minor',
          'currency',
          'starts_on',
          'expires_on',
          'tiers_json',
          'released_percent',
        ])
        .where('subject_type', '=', subject.type)
        .where('subject_id', '=', subject.id)
        .where('status', '=', 'active')
        .execute(),
    rates: (today, pairs) => rateLookupFor(executor, today, pairs),
    policy: () => activePolicy(executor),
  };
}

type MutableBalance = { -readonly [K in keyof ExposureBalance]: ExposureBalance[K] };

function memo<K, V>(cache: Map<K, Promise<V>>, key: K, load: () => Promise<V>): Promise<V> {
  let value = cache.get(key);
  if (!value) {
    value = load();
    cache.set(key, value);
  }
  return value;
}

/**
 * Keeps what a run of credit checks reads in memory, so a check reads no rows once its customer
 * has been seen. Valid only while nobody else writes: its owner drops it when the store changed
 * (see order-desk.ts), and applies each decision's own exposure change with `addExposure`, so the
 * in-memory balances stay the authoritative ones between writes.
 */
export class CachingReader implements PositionReader {
  #inner: PositionReader | null;
  readonly #customers = new Map<string, Promise<CustomerCreditRow | undefined>>();
  readonly #balances = new Map<string, MutableBalance[]>();
  readonly #overdue = new Map<string, Promise<OverdueItem[]>>();
  readonly #members = new Map<string, Promise<string[]>>();
  readonly #limits = new Map<string, Promise<LimitRow[]>>();
  readonly #rates = new Map<string, FxRate | null>();
  #policy: Promise<ActivePolicy> | null = null;

  constructor(inner: PositionReader | null = null) {
    this.#inner = inner;
  }

  /** Reads misses through `inner` (the current transaction's store reader). */
  readThrough(inner: PositionReader): void {
    this.#inner = inner;
  }

  get #store(): PositionReader {
    if (!this.#inner) throw new Error('no store to read through: call readThrough inside a transaction');
    return this.#inner;
  }

  get size(): number {
    return this.#customers.size;
  }

  clear(): void {
    this.#customers.clear();
    this.#balances.clear();
    this.#overdue.clear();
    this.#members.clear();
    this.#limits.clear();
    this.#rates.clear();
    this.#policy = null;
  }

  customer(id: string) {
    return memo(this.#customers, id, () => this.#store.customer(id));
  }

  async balances(customerIds: readonly string[]): Promise<ExposureBalance[]> {
    const missing = customerIds.filter((id) => !this.#balances.has(id));
    for (const id of missing)
      this.#balances.set(
        id,
        (await this.#store.balances([id])).map((b) => ({ ...b })),
      );
    return customerIds.flatMap((id) => this.#balances.get(id) ?? []);
  }

  /** A decision's own change to a customer's exposure, applied to the balances held here. */
  addExposure(customerId: string, currency: CurrencyCode, openOrdersMinor: number): void {
    const balances = this.#balances.get(customerId);
    // A decision always reads its customer's balances first; a change to unread ones would be lost.
    if (!balances) throw new Error(`exposure of ${customerId} changed before it was read`);
    const row = balances.find((b) => b.currency === currency);
    if (row) row.openOrdersMinor += openOrdersMinor;
    else balances.push({ currency, receivablesMinor: 0, openOrdersMinor, shippedMinor: 0 });
  }

  overdue(customerId: string, today: BusinessDate) {
    return memo(this.#overdue, `${customerId}|${today}`, () => this.#store.overdue(customerId, today));
  }

  groupMembers(groupId: string) {
    return memo(this.#members, groupId, () => this.#store.groupMembers(groupId));
  }

  limits(subject: LimitSubject) {
    return memo(this.#limits, `${subject.type}|${subject.id}`, () => this.#store.limits(subject));
  }

  async rates(today: BusinessDate, pairs: readonly [CurrencyCode, CurrencyCode][]): Promise<RateLookup> {
    const key = (from: string, to: string) => `${today}|${from}/${to}`;
    const missing = pairs.filter(([from, to]) => from !== to && !this.#rates.has(key(from, to)));
    if (missing.length > 0) {
      const lookup = await this.#store.rates(today, missing);
      for (const [from, to] of missing) this.#rates.set(key(from, to), lookup(from, to));
    }
    return (from, to) => this.#rates.get(key(from, to)) ?? null;
  }

  policy() {
    this.#policy ??= this.#store.policy();
    return this.#policy;
  }
}
