import { sql } from 'kysely';
import type { CurrencyCode } from '../../core/money/currency.js';
import type { BusinessDate } from '../../core/time/business-date.js';
import type { Executor } from '../../store/write.js';
import type { RecordedKey } from './keyed-orders.js';
import type { PositionRows, RunChecks } from './position-reader.js';

interface JsonRows {
  readonly customers: PositionRows['customers'];
  readonly members: PositionRows['members'];
  readonly limits: PositionRows['limits'];
  readonly overdue: PositionRows['overdue'];
  readonly balances: readonly {
    readonly customer_id: string;
    readonly currency: string;
    readonly receivables_minor: number;
    readonly open_orders_minor: number;
    readonly shipped_minor: number;
  }[];
  readonly policy: { readonly version: number; readonly document_json: string } | null;
  readonly taken: readonly string[];
  readonly keys: readonly RecordedKey[];
}

/** Money comes back as JSON numbers here, not through the driver's checked bigint parser. */
function whole<T extends number | null>(value: T, what: string): T {
  if (value !== null && !Number.isSafeInteger(value))
    throw new Error(`database returned ${value} for ${what}, not a safe integer`);
  return value;
}

/**
 * PostgreSQL: every row a run's positions are computed from — its customers, their groups'
 * members, limits, overdue items and exposure balances, the active policy — which of its orders'
 * external ids are taken and which of its keys are answered, in ONE statement, each set as a JSON
 * array. A run waits for every round trip in turn (its customers locked meanwhile), and these were
 * seven of its eighteen.
 */
export async function positionRowsInOneStatement(
  executor: Executor,
  customerIds: readonly string[],
  today: BusinessDate,
  run: RunChecks,
): Promise<PositionRows & { readonly policy: JsonRows['policy'] }> {
  const ids = sql.val([...customerIds]);
  const { rows } = await sql<JsonRows>`
    with c as (
      select customers.id, customers.currency, customers.group_id, p.risk_class, p.rating_grade,
        p.rating_source, p.blacklisted, p.stop_supply, p.trading_since, p.insured_limit_minor,
        p.insured_coverage_percent, p.guarantee_minor, p.warning_severity, p.next_review_on,
        p.screen_outcome
      from customers join credit_profiles p on p.customer_id = customers.id
      where customers.id = any(${ids}::text[])
    ),
    m as (
      select id, group_id from customers
      where group_id in (select group_id from c where group_id is not null)
    )
    select
      (select coalesce(json_agg(c), '[]') from c) as customers,
      (select coalesce(json_agg(m), '[]') from m) as members,
      (select coalesce(json_agg(l), '[]') from (
        select subject_type, subject_id, kind, amount_minor, currency, starts_on, expires_on,
          tiers_json, released_percent
        from credit_limits
        where status = 'active'
          and ((subject_type = 'customer' and subject_id = any(${ids}::text[]))
            or (subject_type = 'group' and subject_id in (select group_id from c)))
      ) l) as limits,
      (select coalesce(json_agg(o), '[]') from (
        select customer_id, open_minor, due_date, currency from invoices
        where customer_id = any(${ids}::text[]) and open_minor > 0 and due_date < ${today}
      ) o) as overdue,
      (select coalesce(json_agg(b), '[]') from (
        select customer_id, currency, receivables_minor, open_orders_minor, shipped_minor
        from exposure_balances
        where customer_id = any(${ids}::text[]) or customer_id in (select id from m)
      ) b) as balances,
      (select json_build_object('version', version, 'document_json', document_json)
        from credit_policies where status = 'active') as policy,
      (select coalesce(json_agg(external_id), '[]') from orders
        where external_id = any(${sql.val([...run.orderExternalIds])}::text[])) as taken,
      (select coalesce(json_agg(k), '[]') from (
        select api_key_id, idempotency_key from idempotency_keys
        where api_key_id = any(${sql.val([...new Set(run.keys.map((k) => k.apiKeyId))])}::text[])
          and idempotency_key = any(${sql.val(run.keys.map((k) => k.key))}::text[])
      ) k) as keys
  `.execute(executor);
  const found = rows[0] as JsonRows;
  return {
    customers: found.customers.map((c) => ({
      ...c,
      insured_limit_minor: whole(c.insured_limit_minor, 'insured_limit_minor'),
      guarantee_minor: whole(c.guarantee_minor, 'guarantee_minor'),
    })),
    members: found.members,
    limits: found.limits.map((l) => ({ ...l, amount_minor: whole(l.amount_minor, 'amount_minor') })),
    overdue: found.overdue.map((o) => ({ ...o, open_minor: whole(o.open_minor, 'open_minor') })),
    balances: found.balances.map((b) => ({
      customerId: b.customer_id,
      currency: b.currency as CurrencyCode,
      receivablesMinor: whole(b.receivables_minor, 'receivables_minor'),
      openOrdersMinor: whole(b.open_orders_minor, 'open_orders_minor'),
      shippedMinor: whole(b.shipped_minor, 'shipped_minor'),
    })),
    policy: found.policy,
    takenOrderExternalIds: found.taken,
    recordedKeys: found.keys,
  };
}
