import { requireText, validateCustomer } from '../../core/customers/customer.js';
import { DomainError } from '../../core/errors.js';
import { preScreen, type ScreenFacts, type ScreenResult } from '../../core/onboarding/pre-screen.js';
import type { Financials } from '../../core/rating/altman.js';
import { nextReviewOn } from '../../core/reviews/review-cycle.js';
import { appendAudit } from '../../store/audit.js';
import { inOneTransaction } from '../../store/request-transaction.js';
import type { CreditApplicationTable } from '../../store/schema.js';
import { requestLimit } from '../credit/limit-requests.js';
import { updateCreditProfile } from '../credit/update-profile.js';
import { createCustomers } from '../customers/create-customers.js';
import { cycleMonths } from '../reviews/credit-reviews.js';
import type { Actor, Services } from '../services.js';
import { screeningFacts } from './first-contact.js';

export interface ApplicationInput {
  readonly externalId?: string;
  readonly legalName: string;
  readonly registrationId: string;
  readonly country: string;
  readonly currency: string;
  readonly segment: string;
  readonly contacts?: readonly { readonly name: string; readonly email?: string; readonly phone?: string }[];
  readonly requestedLimitMinor: number;
  readonly requestedTermsDays: number;
  readonly expectedMonthlyPurchasesMinor: number;
  readonly financials?: (Financials & { readonly manufacturer?: boolean; readonly period?: string }) | null;
}

const FIGURES = [
  'totalAssets',
  'totalLiabilities',
  'workingCapital',
  'retainedEarnings',
  'ebit',
  'bookEquity',
] as const;

function wholeMinor(value: unknown, field: string, min = 0): number {
  if (!(Number.isSafeInteger(value) && (value as number) >= min))
    throw new DomainError(
      'invalid_amount',
      `${field} must be whole minor units${min === 0 ? ' ≥ 0' : ''}`,
      field,
    );
  return value as number;
}

function applicationRecord(row: CreditApplicationTable) {
  const file = JSON.parse(row.application_json) as Omit<ApplicationInput, 'legalName' | 'registrationId'>;
  return {
    id: row.id,
    externalId: row.external_id,
    legalName: row.legal_name,
    registrationId: row.registration_id,
    country: row.country,
    currency: row.currency,
    segment: row.segment,
    contacts: [...(file.contacts ?? [])],
    requestedLimitMinor: file.requestedLimitMinor,
    requestedTermsDays: file.requestedTermsDays,
    expectedMonthlyPurchasesMinor: file.expectedMonthlyPurchasesMinor,
    financials: file.financials ?? null,
    screening: JSON.parse(row.screening_json) as ScreenResult,
    outcome: row.outcome,
    status: row.status as 'screened' | 'approved' | 'rejected',
    createdBy: row.created_by,
    createdAt: row.created_at,
    decidedBy: row.decided_by,
    decidedAt: row.decided_at,
    decisionNote: row.decision_note,
    customerId: row.customer_id,
    limitRequestId: row.limit_request_id,
  };
}

/**
 * A prospect's credit application (A1), screened at once: checked as a customer would be (its
 * registration id to the check character), then blacklist, outside signals, Altman's Z and the
 * recommended limit → proceed / proceed with conditions / decline. Kept, audited, waiting for a
 * decision by someone else.
 */
export async function submitApplication(services: Services, actor: Actor, input: ApplicationInput) {
  const id = services.ids.next('app');
  const customer = validateCustomer({
    externalId: input.externalId?.trim() || id.toUpperCase(),
    name: input.legalName,
    country: input.country,
    currency: input.currency,
    segment: input.segment,
    registrationId: input.registrationId,
  });
  if (!customer.registrationId)
    throw new DomainError(
      'required',
      'registrationId: the registry’s number is needed to screen a buyer',
      'registrationId',
    );
  const contacts = (input.contacts ?? []).map((c, i) => ({
    name: requireText(c.name ?? '', `contacts[${i}].name`, 200),
    ...(c.email ? { email: requireText(c.email, `contacts[${i}].email`, 200) } : {}),
    ...(c.phone ? { phone: requireText(c.phone, `contacts[${i}].phone`, 50) } : {}),
  }));
  const requestedTermsDays = input.requestedTermsDays;
  if (!(Number.isInteger(requestedTermsDays) && requestedTermsDays >= 0 && requestedTermsDays <= 365))
    throw new DomainError(
      'invalid_terms',
      'requestedTermsDays must be whole days from 0 to 365',
      'requestedTermsDays',
    );
  const given = input.financials;
  const figure = (name: (typeof FIGURES)[number]) =>
    wholeMinor(given?.[name], `financials.${name}`, Number.MIN_SAFE_INTEGER);
  const financials: (Financials & { manufacturer: boolean; period?: string }) | null = given
    ? {
        totalAssets: figure('totalAssets'),
        totalLiabilities: figure('totalLiabilities'),
        workingCapital: figure('workingCapital'),
        retainedEarnings: figure('retainedEarnings'),
        ebit: figure('ebit'),
        bookEquity: figure('bookEquity'),
        ...(given.sales === undefined ? {} : { sales: wholeMinor(given.sales, 'financials.sales') }),
        manufacturer: given.manufacturer === true,
        ...(given.period ? { period: requireText(given.period, 'financials.period', 20) } : {}),
      }
    : null;
  if (financials && financials.totalAssets <= 0)
    throw new DomainError(
      'invalid_amount',
      'financials.totalAssets must be above 0',
      'financials.totalAssets',
    );
  const file = {
    contacts,
    requestedLimitMinor: wholeMinor(input.requestedLimitMinor, 'requestedLimitMinor'),
    requestedTermsDays,
    expectedMonthlyPurchasesMinor: wholeMinor(
      input.expectedMonthlyPurchasesMinor,
      'expectedMonthlyPurchasesMinor',
    ),
    financials,
  };
  const today = services.clock.today();
  const now = services.clock.now().toISOString();
  return services.store.db.transaction().execute(async (trx) => {
    const taken = await trx
      .selectFrom('customers')
      .select('id')
      .where('external_id', '=', customer.externalId)
      .executeTakeFirst();
    if (taken)
      throw new DomainError(
        'duplicate_external_id',
        `a customer already has external id "${customer.externalId}"`,
        'externalId',
      );
    const screening = preScreen(
      file,
      (
        await screeningFacts(
          trx,
          [{ registrationId: customer.registrationId as string, name: customer.name }],
          today,
        )
      )[0] as ScreenFacts,
    );
    const row: CreditApplicationTable = {
      id,
      external_id: customer.externalId,
      legal_name: customer.name,
      registration_id: customer.registrationId as string,
      country: customer.country,
      currency: customer.currency,
      segment: customer.segment,
      application_json: JSON.stringify(file),
      screening_json: JSON.stringify(screening),
      outcome: screening.outcome,
      status: 'screened',
      created_by: actor,
      created_at: now,
      decided_by: null,
      decided_at: null,
      decision_note: null,
      customer_id: null,
      limit_request_id: null,
    };
    await trx.insertInto('credit_applications').values(row).execute();
    const record = applicationRecord(row);
    await appendAudit(trx, actor, now, [
      {
        action: 'credit_application.screened',
        entityType: 'credit_application',
        entityId: id,
        before: null,
        after: record,
      },
    ]);
    return record;
  });
}

export async function listApplications(services: Services, filter: { status?: string } = {}) {
  const rows = await services.store.db
    .selectFrom('credit_applications')
    .selectAll()
    .$if(filter.status !== undefined, (q) => q.where('status', '=', filter.status as string))
    .orderBy('created_at', 'desc')
    .limit(500)
    .execute();
  return { items: rows.map(applicationRecord) };
}

export async function getApplication(services: Services, id: string) {
  const row = await services.store.db
    .selectFrom('credit_applications')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw new DomainError('application_not_found', `credit application ${id} does not exist`);
  return applicationRecord(row);
}

/**
 * Decides an application (four eyes: not by whoever entered it; overriding a decline takes a
 * credit manager). Approval converts it in one transaction: the customer (with the screen's risk
 * class), and its first limit request — the limit asked for, or the recommended one when the screen
 * said to lower it — which then takes the usual way through the authority matrix.
 */
export async function decideApplication(
  services: Services,
  approver: { actor: Actor; role: string },
  id: string,
  decision: { approve: boolean; note: string },
) {
  const note = requireText(decision.note ?? '', 'note', 2000);
  const now = services.clock.now().toISOString();
  const today = services.clock.today();
  return inOneTransaction(services.store, async () => {
    const { db } = services.store;
    const row = await db
      .selectFrom('credit_applications')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row) throw new DomainError('application_not_found', `credit application ${id} does not exist`);
    if (row.status !== 'screened')
      throw new DomainError('application_decided', `credit application ${id} is ${row.status} already`);
    if (row.created_by === approver.actor)
      throw new DomainError('four_eyes_violation', 'whoever entered an application cannot decide it');
    if (decision.approve && row.outcome === 'decline' && !['credit_manager', 'admin'].includes(approver.role))
      throw new DomainError(
        'insufficient_authority',
        `a declined screen is overridden by a credit manager, not a ${approver.role}`,
      );
    let customerId: string | null = null;
    let limitRequestId: string | null = null;
    if (decision.approve) {
      const record = applicationRecord(row);
      const [customer] = await createCustomers(services, approver.actor, [
        {
          externalId: row.external_id,
          name: row.legal_name,
          country: row.country,
          currency: row.currency,
          segment: row.segment,
          registrationId: row.registration_id,
        },
      ]);
      customerId = (customer as { id: string }).id;
      await updateCreditProfile(services, approver.actor, customerId, {
        riskClass: record.screening.riskClass,
      });
      // The application's decision is the buyer's first credit review: the cycle runs from it, and
      // the order check knows the buyer was screened.
      await db
        .updateTable('credit_profiles')
        .set({ next_review_on: nextReviewOn(today, record.screening.riskClass, await cycleMonths(db)) })
        .where('customer_id', '=', customerId)
        .execute();
      const lower = record.screening.conditions.includes('lower_limit');
      const request = await requestLimit(services, row.created_by, {
        subjectType: 'customer',
        subjectId: customerId,
        kind: 'permanent',
        amountMinor: lower ? record.screening.recommendedLimitMinor : record.requestedLimitMinor,
        currency: row.currency,
        reason: `first limit, credit application ${id}${lower ? ' (lowered to the recommended limit)' : ''}`,
      });
      limitRequestId = request.id;
    }
    const status = decision.approve ? 'approved' : 'rejected';
    await db
      .updateTable('credit_applications')
      .set({
        status,
        decided_by: approver.actor,
        decided_at: now,
        decision_note: note,
        customer_id: customerId,
        limit_request_id: limitRequestId,
      })
      .where('id', '=', id)
      .execute();
    await appendAudit(db, approver.actor, now, [
      {
        action: `credit_application.${status}`,
        entityType: 'credit_application',
        entityId: id,
        before: { status: row.status },
        after: { status, note, customerId, limitRequestId },
      },
    ]);
    return getApplication(services, id);
  });
}
