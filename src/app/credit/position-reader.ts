import type { Regime } from '../../core/cycle/regime.js';
import type { ExposureBalance, RateLookup } from '../../core/exposure/exposure.js';
import { groupBy } from '../../core/group-by.js';
import type { CurrencyCode } from '../../core/money/currency.js';
import type { FxRate } from '../../core/money/fx.js';
import type { BusinessDate } from '../../core/time/business-date.js';
import { type Executor, isPostgres } from '../../store/write.js';
import { regimeIfOverridden } from '../cycle/cycle-readings.js';
import { idsByExternalId } from '../lookup.js';
import { rateLookupFor } from './fx-rates.js';
import { type OrderKey, type RecordedKey, recordedKeys } from './keyed-orders.js';
import { type ActivePolicy, activePolicy, policyOfRow } from './policies.js';
import { positionRowsInOneStatement } from './position-rows-pg.js';

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
  readonly warning_severity: string | null;
  readonly next_review_on: string | null;
  readonly screen_outcome: string | null;
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

/** The columns of a limit row (LimitRow), for every query that reads limits to work one out. */
export const LIMIT_COLUMNS = [
  'kind',
  'amount_minor',
  'currency',
  'starts_on',
  'expires_on',
  'tiers_json',
  'released_percent',
] as const;

/** The rows a credit position is computed from: read from the store, or from a cache of it. */
export interface PositionReader {
  customer(id: string): Promise<CustomerCreditRow | undefined>;
  balances(customerIds: readonly string[]): Promise<ExposureBalance[]>;
  overdue(customerId: string, today: BusinessDate): Promise<OverdueItem[]>;
  groupMembers(groupId: string): Promise<string[]>;
  limits(subject: LimitSubject): Promise<LimitRow[]>;
  rates(today: BusinessDate, pairs: readonly [CurrencyCode, CurrencyCode][]): Promise<RateLookup>;
  policy(): Promise<ActivePolicy>;
  /**
   * The economic regime today, read only when the active policy overrides anything by regime;
   * `policy`: the active one, when the caller has it already.
   */
  regime(today: BusinessDate, policy?: ActivePolicy): Promise<Regime | null>;
}

/** The same rows for many customers or subjects at once, each row naming whose it is. */
interface BulkPositionReader {
  customers(ids: readonly string[]): Promise<CustomerCreditRow[]>;
  balances(customerIds: readonly string[]): Promise<(ExposureBalance & { readonly customerId: string })[]>;
  overdue(
    customerIds: readonly string[],
    today: BusinessDate,
  ): Promise<(OverdueItem & { readonly customer_id: string })[]>;
  groupMembers(
    groupIds: readonly string[],
  ): Promise<{ readonly id: string; readonly group_id: string | null }[]>;
  limits(
    subjects: readonly LimitSubject[],
  ): Promise<(LimitRow & { readonly subject_type: string; readonly subject_id: string })[]>;
}

/**
 * Every row the positions of some customers are computed from: theirs, their groups' and the
 * groups' members' — and, where it came in the same read, the active policy's; with what a run of
 * orders checks before deciding: which of its external ids are taken and which of its
 * Idempotency-Keys have an answer.
 */
export interface PositionRows {
  readonly customers: readonly CustomerCreditRow[];
  readonly members: readonly { readonly id: string; readonly group_id: string | null }[];
  readonly limits: readonly (LimitRow & { readonly subject_type: string; readonly subject_id: string })[];
  readonly overdue: readonly (OverdueItem & { readonly customer_id: string })[];
  readonly balances: readonly (ExposureBalance & { readonly customerId: string })[];
  readonly policy?: { readonly version: number; readonly document_json: string } | null;
  readonly takenOrderExternalIds: readonly string[];
  readonly recordedKeys: readonly RecordedKey[];
}

/** What a run of orders checks besides positions: its external ids and its Idempotency-Keys. */
export interface RunChecks {
  readonly orderExternalIds: readonly string[];
  readonly keys: readonly OrderKey[];
}

/**
 * The rows of many customers' positions, which of a run's external ids orders have already and
 * which of its keys are answered, in the caller's transaction: in one statement on PostgreSQL
 * (what a run does after locking its customers), in a few queries on SQLite.
 */
export async function readPositionRows(
  executor: Executor,
  customerIds: readonly string[],
  today: BusinessDate,
  run: RunChecks = { orderExternalIds: [], keys: [] },
): Promise<PositionRows> {
  if (isPostgres(executor)) return positionRowsInOneStatement(executor, customerIds, today, run);
  const bulk = storeBulkReader(executor);
  const customers = await bulk.customers(customerIds);
  const groupIds = [...new Set(customers.flatMap((c) => (c.group_id ? [c.group_id] : [])))];
  const members = await bulk.groupMembers(groupIds);
  const limits = await bulk.limits([
    ...customerIds.map((id) => ({ type: 'customer' as const, id })),
    ...groupIds.map((id) => ({ type: 'group' as const, id })),
  ]);
  const overdue = await bulk.overdue(customerIds, today);
  const balances = await bulk.balances([...new Set([...customerIds, ...members.map((m) => m.id)])]);
  const taken = await idsByExternalId(executor, 'orders', run.orderExternalIds);
  return {
    customers,
    members,
    limits,
    overdue,
    balances,
    takenOrderExternalIds: [...taken.keys()],
    recordedKeys: await recordedKeys(executor, run.keys),
  };
}

/** Reads many customers' rows in the caller's transaction: a handful of queries for a whole run. */
function storeBulkReader(executor: Executor): BulkPositionReader {
  return {
    customers: (ids) =>
      ids.length === 0
        ? Promise.resolve([])
        : executor
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
              'credit_profiles.warning_severity',
              'credit_profiles.next_review_on',
              'credit_profiles.screen_outcome',
            ])
            .where('customers.id', 'in', ids)
            .execute(),
    async balances(customerIds) {
      if (customerIds.length === 0) return [];
      const rows = await executor
        .selectFrom('exposure_balances')
        .selectAll()
        .where('customer_id', 'in', customerIds)
        .execute();
      return rows.map((r) => ({
        customerId: r.customer_id,
        currency: r.currency as CurrencyCode,
        receivablesMinor: r.receivables_minor,
        openOrdersMinor: r.open_orders_minor,
        shippedMinor: r.shipped_minor,
      }));
    },
    overdue: (customerIds, today) =>
      customerIds.length === 0
        ? Promise.resolve([])
        : executor
            .selectFrom('invoices')
            .select(['customer_id', 'open_minor', 'due_date', 'currency'])
            .where('customer_id', 'in', customerIds)
            .where('open_minor', '>', 0)
            .where('due_date', '<', today)
            .execute(),
    groupMembers: (groupIds) =>
      groupIds.length === 0
        ? Promise.resolve([])
        : executor
            .selectFrom('customers')
            .select(['id', 'group_id'])
            .where('group_id', 'in', groupIds)
            .execute(),
    limits: (subjects) =>
      subjects.length === 0
        ? Promise.resolve([])
        : executor
            .selectFrom('credit_limits')
            .select(['subject_type', 'subject_id', ...LIMIT_COLUMNS])
            .where((eb) =>
              eb.or(
                subjects.map((subject) =>
                  eb.and([eb('subject_type', '=', subject.type), eb('subject_id', '=', subject.id)]),
                ),
              ),
            )
            .where('status', '=', 'active')
            .execute(),
  };
}

/** Reads every row from the store, in the caller's transaction. */
export function storeReader(executor: Executor): PositionReader {
  const bulk = storeBulkReader(executor);
  return {
    customer: async (id) => (await bulk.customers([id]))[0],
    balances: (customerIds) => bulk.balances(customerIds),
    overdue: (customerId, today) => bulk.overdue([customerId], today),
    groupMembers: async (groupId) => (await bulk.groupMembers([groupId])).map((m) => m.id),
    limits: (subject) => bulk.limits([subject]),
    rates: (today, pairs) => rateLookupFor(executor, today, pairs),
    policy: () => activePolicy(executor),
    regime: async (today, policy) =>
      regimeIfOverridden(executor, (policy ?? (await activePolicy(executor))).document, today),
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
  readonly #regime = new Map<string, Promise<Regime | null>>();

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
    this.#regime.clear();
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

  /**
   * Holds the rows of every customer of a run (and of their groups), read at once
   * (readPositionRows) instead of a few queries per customer when each check first asks: what a
   * run on PostgreSQL does after locking them. Rows held already stay as they are (balances carry
   * the run's own changes).
   */
  hold(rows: PositionRows, customerIds: readonly string[], today: BusinessDate): void {
    const ids = [...new Set(customerIds)].filter((id) => !this.#customers.has(id));
    const customers = new Map(rows.customers.map((c) => [c.id, c]));
    const groupIds = [...new Set(rows.customers.flatMap((c) => (c.group_id ? [c.group_id] : [])))];
    const limits = groupBy(rows.limits, (l) => `${l.subject_type}|${l.subject_id}`);
    const overdue = groupBy(rows.overdue, (o) => o.customer_id);
    const membersOf = groupBy(rows.members, (m) => m.group_id ?? '');
    const balances = groupBy(rows.balances, (b) => b.customerId);
    for (const id of ids) {
      this.#customers.set(id, Promise.resolve(customers.get(id)));
      this.#overdue.set(`${id}|${today}`, Promise.resolve(overdue.get(id) ?? []));
      this.#limits.set(`customer|${id}`, Promise.resolve(limits.get(`customer|${id}`) ?? []));
    }
    for (const group of groupIds) {
      this.#members.set(group, Promise.resolve((membersOf.get(group) ?? []).map((m) => m.id)));
      this.#limits.set(`group|${group}`, Promise.resolve(limits.get(`group|${group}`) ?? []));
    }
    for (const id of new Set([...ids, ...rows.members.map((m) => m.id)]))
      if (!this.#balances.has(id))
        this.#balances.set(
          id,
          (balances.get(id) ?? []).map(({ customerId: _, ...b }) => b),
        );
    if (rows.policy !== undefined) this.#policy ??= Promise.resolve(policyOfRow(rows.policy));
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

  regime(today: BusinessDate) {
    return memo(this.#regime, today, async () => this.#store.regime(today, await this.policy()));
  }
}
