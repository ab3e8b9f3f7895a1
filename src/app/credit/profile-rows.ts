import { sql } from 'kysely';
import { DomainError } from '../../core/errors.js';
import type { Dialect } from '../../store/db.js';
import { chunkOf, type Executor, forUpdate, insertChunked } from '../../store/write.js';

/** New customers start unrated in the middle risk class, with no flags set. */
export const DEFAULT_RISK_CLASS = 'C';

/** New customers' profiles, each with its first-contact screen. */
export async function insertDefaultProfiles(
  trx: Executor,
  customers: readonly { id: string; screen: { outcome: string; reasons: readonly object[] } }[],
  now: string,
): Promise<void> {
  await insertChunked(
    trx,
    'credit_profiles',
    customers.map(({ id, screen }) => ({
      customer_id: id,
      risk_class: DEFAULT_RISK_CLASS,
      rating_grade: null,
      blacklisted: 0,
      stop_supply: 0,
      insured_limit_minor: null,
      insured_coverage_percent: null,
      guarantee_minor: null,
      trading_since: null,
      screen_outcome: screen.outcome,
      screen_reasons_json: JSON.stringify(screen.reasons),
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
  // One statement per chunk of customers (a VALUES list both dialects read as column1, column2).
  for (const chunk of chunkOf([...earliest], FIRST_TRADE_CHUNK)) {
    const values = sql.join(chunk.map(([customerId, date]) => sql`(${customerId}, ${date})`));
    await sql`update credit_profiles set trading_since = v.column2
      from (values ${values}) as v
      where credit_profiles.customer_id = v.column1
        and (credit_profiles.trading_since is null or credit_profiles.trading_since > v.column2)`.execute(
      trx,
    );
  }
}

// Two parameters a customer: well under SQLite's 32,766 and PostgreSQL's 65,535.
const FIRST_TRADE_CHUNK = 5_000;
