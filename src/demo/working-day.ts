import { sql } from 'kysely';
import { openDispute } from '../app/collections/disputes.js';
import { recordPromise } from '../app/collections/promises.js';
import { requestLimit } from '../app/credit/limit-requests.js';
import type { Services } from '../app/services.js';
import { addDays, type BusinessDate } from '../core/time/business-date.js';
import { chunkOf } from '../store/write.js';

const REASONS = ['quality', 'price', 'delivery'] as const;

/**
 * The morning a credit department comes in to: limit requests waiting for a decision (the
 * analyst asked for the most used limits to be raised), invoices in dispute, and promises to pay
 * recorded by the collector, accounts shared between two collectors — so Approvals, disputes,
 * promises and each collector's worklist are not empty on first start.
 */
export async function seedWorkingDay(services: Services, asOf: BusinessDate) {
  const { db } = services.store;
  const analyst = await db
    .selectFrom('users')
    .select('id')
    .where('username', '=', 'analyst')
    .executeTakeFirst();
  const actor = analyst ? `user:${analyst.id}` : 'demo';
  // The most used own limits, unblocked: a 20 % raise asked for each.
  const busiest = await db
    .selectFrom('credit_limits as l')
    .innerJoin('exposure_balances as e', (join) =>
      join.onRef('e.customer_id', '=', 'l.subject_id').onRef('e.currency', '=', 'l.currency'),
    )
    .innerJoin('credit_profiles as p', 'p.customer_id', 'l.subject_id')
    .select(['l.subject_id', 'l.amount_minor', 'l.currency'])
    .where('l.subject_type', '=', 'customer')
    .where('l.kind', '=', 'permanent')
    .where('l.status', '=', 'active')
    .where('l.amount_minor', '>', 0)
    .where('p.blacklisted', '=', 0)
    .orderBy(sql`(e.receivables_minor + e.open_orders_minor) * 1.0 / l.amount_minor`, 'desc')
    .orderBy('l.subject_id')
    .limit(4)
    .execute();
  for (const l of busiest)
    await requestLimit(services, actor, {
      subjectType: 'customer',
      subjectId: l.subject_id,
      kind: 'permanent',
      amountMinor: Math.round((Number(l.amount_minor) * 1.2) / 100_000) * 100_000,
      currency: l.currency,
      reason: 'utilisation over 90 % for three months; pays within terms',
    });
  // Overdue invoices, the largest first: three disputed in part, three promised by their customers.
  const overdue = await db
    .selectFrom('invoices')
    .select(['id', 'customer_id', 'open_minor', 'currency'])
    .where('open_minor', '>', 100_000)
    .where('due_date', '<', asOf)
    .orderBy('open_minor', 'desc')
    .orderBy('id')
    .limit(12)
    .execute();
  const customers = new Set<string>();
  const distinct = overdue.filter((i) => !customers.has(i.customer_id) && customers.add(i.customer_id));
  for (const [k, invoice] of distinct.slice(0, 3).entries())
    await openDispute(services, actor, invoice.id, {
      amountMinor: Math.floor(Number(invoice.open_minor) / 4),
      reason: REASONS[k % REASONS.length] as (typeof REASONS)[number],
      note: 'the customer holds back a quarter until the claim is settled',
      owner: 'analyst',
      dueOn: addDays(asOf, 14),
    });
  for (const [k, invoice] of distinct.slice(3, 6).entries())
    await recordPromise(services, actor, invoice.customer_id, {
      amountMinor: Number(invoice.open_minor),
      currency: invoice.currency,
      promisedOn: addDays(asOf, 3 + 2 * k),
      promisedBy: 'accounts payable, by phone',
    });
  // Two collectors share the accounts (every fifth left for whoever has time), so each has a worklist.
  const accounts = await db.selectFrom('customers').select('id').orderBy('id').execute();
  for (const [collector, ids] of [
    ['manager', accounts.filter((_, i) => i % 5 === 0 || i % 5 === 1)],
    ['manager2', accounts.filter((_, i) => i % 5 === 2 || i % 5 === 3)],
  ] as const)
    for (const chunk of chunkOf(
      ids.map((a) => a.id),
      500,
    ))
      await db.updateTable('customers').set({ collector }).where('id', 'in', chunk).execute();
  return {
    limitRequests: busiest.length,
    disputes: Math.min(3, distinct.length),
    promises: Math.max(0, Math.min(3, distinct.length - 3)),
  };
}
