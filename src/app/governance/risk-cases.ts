import { type Selectable, sql } from 'kysely';
import { requireText } from '../../core/customers/customer.js';
import { DomainError } from '../../core/errors.js';
import { parseCurrency } from '../../core/money/currency.js';
import { containsText } from '../../store/like.js';
import type { RiskCaseTable } from '../../store/schema.js';
import type { Executor } from '../../store/write.js';
import type { Actor, Services } from '../services.js';
import { insertOneAudited } from '../write-records.js';

/** A past case and its lessons (G4): what happened, the warning signs seen too late, what to do next time. */
export interface RiskCaseInput {
  readonly title: string;
  readonly customerId?: string | null;
  readonly whatHappened: string;
  readonly warningSigns: string;
  readonly lessons: string;
  readonly tags?: string[];
  readonly reasonCodes?: string[];
  readonly lossMinor?: number | null;
  readonly currency?: string | null;
}

export function riskCaseRecord(row: Selectable<RiskCaseTable>) {
  return {
    id: row.id,
    title: row.title,
    customerId: row.customer_id,
    whatHappened: row.what_happened,
    warningSigns: row.warning_signs,
    lessons: row.lessons,
    tags: JSON.parse(row.tags_json) as string[],
    reasonCodes: JSON.parse(row.reason_codes_json) as string[],
    lossMinor: row.loss_minor,
    currency: row.currency,
    createdBy: row.created_by,
    createdAt: row.created_at,
  };
}

const normalisedTags = (tags: readonly string[]) => [
  ...new Set(tags.map((t) => t.trim().toLowerCase()).filter(Boolean)),
];

export async function createRiskCase(services: Services, actor: Actor, input: RiskCaseInput) {
  if ((input.lossMinor ?? null) !== null && !input.currency)
    throw new DomainError('required', 'a loss needs its currency', 'currency');
  const now = services.clock.now().toISOString();
  const row: Selectable<RiskCaseTable> = {
    id: services.ids.next('rsk'),
    title: requireText(input.title, 'title', 200),
    customer_id: input.customerId ?? null,
    what_happened: requireText(input.whatHappened, 'whatHappened', 5000),
    warning_signs: requireText(input.warningSigns, 'warningSigns', 5000),
    lessons: requireText(input.lessons, 'lessons', 5000),
    tags_json: JSON.stringify(normalisedTags(input.tags ?? [])),
    reason_codes_json: JSON.stringify([...new Set(input.reasonCodes ?? [])]),
    loss_minor: input.lossMinor ?? null,
    currency: input.currency ? parseCurrency(input.currency, 'currency') : null,
    created_by: actor,
    created_at: now,
  };
  return services.store.db.transaction().execute(async (trx) => {
    if (row.customer_id) {
      const found = await trx
        .selectFrom('customers')
        .select('id')
        .where('id', '=', row.customer_id)
        .executeTakeFirst();
      if (!found)
        throw new DomainError(
          'customer_not_found',
          `customer ${row.customer_id} does not exist`,
          'customerId',
        );
    }
    return insertOneAudited(trx, 'risk_cases', row, riskCaseRecord, {
      actor,
      now,
      action: 'risk_case.created',
    });
  });
}

/**
 * Finds cases by words (every word must appear in the title, story, warning signs or lessons,
 * any case), by tag, reason code or customer. The library is hundreds of cases, not millions:
 * a scan with LIKE is fast enough and the same on both stores.
 */
export async function searchRiskCases(
  executor: Executor,
  filter: { q?: string; tag?: string; reasonCode?: string; customerId?: string },
) {
  let query = executor
    .selectFrom('risk_cases')
    .selectAll()
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc');
  const text = sql`title || ' ' || what_happened || ' ' || warning_signs || ' ' || lessons`;
  for (const word of (filter.q ?? '').split(/\s+/).filter(Boolean))
    query = query.where(containsText(text, word));
  if (filter.customerId) query = query.where('customer_id', '=', filter.customerId);
  const rows = (await query.limit(500).execute()).map(riskCaseRecord);
  const tag = filter.tag?.trim().toLowerCase();
  return rows.filter(
    (r) =>
      (!tag || r.tags.includes(tag)) && (!filter.reasonCode || r.reasonCodes.includes(filter.reasonCode)),
  );
}
