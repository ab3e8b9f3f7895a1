import { DomainError } from '../../core/errors.js';
import type { Dialect } from '../../store/db.js';
import { type Executor, forUpdate, insertChunked } from '../../store/write.js';

/** New customers start unrated in the middle risk class, with no flags set. */
export const DEFAULT_RISK_CLASS = 'C';

export async function insertDefaultProfiles(
  trx: Executor,
  customerIds: readonly string[],
  now: string,
): Promise<void> {
  await insertChunked(
    trx,
    'credit_profiles',
    customerIds.map((id) => ({
      customer_id: id,
      risk_class: DEFAULT_RISK_CLASS,
      rating_grade: null,
      blacklisted: 0,
      stop_supply: 0,
      insured_limit_minor: null,
      insured_coverage_percent: null,
      guarantee_minor: null,
      trading_since: null,
      updated_at: now,
    })),
  );
}

/** A customer's credit profile, locked for the rest of the transaction; 404 when there is no such customer. */
export async function lockProfile(trx: Executor, dialect: Dialect, customerId: string) {
  const profile = await forUpdate(
    trx.selectFrom('credit_profiles').selectAll().where('customer_id', '=', customerId),
    dialect,
  ).executeTakeFirst();
  if (!profile) throw new DomainError('customer_not_found', `customer ${customerId} does not exist`);
  return profile;
}

/** Moves each customer's `trading_since` back to the earliest invoice date seen. */
export async function noteFirstTrade(
  trx: Executor,
  invoices: readonly { customer_id: string; issue_date: string }[],
): Promise<void> {
  const earliest = new Map<string, string>();
  for (const i of invoices) {
    const seen = earliest.get(i.customer_id);
    if (!seen || i.issue_date < seen) earliest.set(i.customer_id, i.issue_date);
  }
  for (const [customerId, date] of earliest) {
    await trx
      .updateTable('credit_profiles')
      .set({ trading_since: date })
      .where('customer_id', '=', customerId)
      .where((eb) => eb.or([eb('trading_since', 'is', null), eb('trading_since', '>', date)]))
      .execute();
  }
}
