import { requireText } from '../../../core/customers/customer.js';
import { DomainError } from '../../../core/errors.js';
import { parseCurrency } from '../../../core/money/currency.js';
import { chunkOf } from '../../../store/write.js';
import { type FxRateInput, recordFxRates, validateFxRate } from '../../credit/fx-rates.js';
import { requestLimit } from '../../credit/limit-requests.js';
import { idsByExternalId } from '../../lookup.js';
import type { Actor, Services } from '../../services.js';
import { amountOf, type ImportKind, optional } from '../import-kind.js';

export interface ImportedLimit {
  readonly customerExternalId: string;
  readonly amountMinor: number;
  readonly currency: string;
  readonly reason?: string | undefined;
}

const IMPORTED_REASON = 'limit from the ERP extract';

/** Each row becomes a limit request: an import never sets a limit past the authority matrix and four eyes. */
async function requestLimits(services: Services, actor: Actor, inputs: readonly ImportedLimit[]) {
  const ids = await idsByExternalId(
    services.store.db,
    'customers',
    inputs.map((l) => l.customerExternalId),
  );
  const requests = [];
  for (const limit of inputs)
    requests.push(
      await requestLimit(services, actor, {
        subjectType: 'customer',
        subjectId: ids.get(limit.customerExternalId) ?? '',
        kind: 'permanent',
        amountMinor: limit.amountMinor,
        currency: limit.currency,
        reason: limit.reason ?? IMPORTED_REASON,
      }),
    );
  return requests;
}

export const limits: ImportKind<ImportedLimit> = {
  columns: ['customer_external_id', 'limit', 'currency'],
  optionalColumns: ['reason'],
  columnOf: { amountMinor: 'limit' },
  sample: {
    customer_external_id: 'C-1001',
    limit: '500000.00',
    currency: 'CNY',
    reason: 'annual review 2026',
  },
  toInput: (r) => ({
    customerExternalId: r.customer_external_id ?? '',
    amountMinor: amountOf(r, 'limit'),
    currency: r.currency ?? '',
    reason: optional(r.reason),
  }),
  check(input) {
    if (input.amountMinor < 0) throw new DomainError('invalid_amount', 'a limit is 0 or more', 'amountMinor');
    if (input.reason !== undefined) requireText(input.reason, 'reason', 1000);
    return parseCurrency(input.currency, 'currency');
  },
  references: [{ column: 'customer_external_id', table: 'customers' }],
  write: requestLimits,
  keyed: {
    keyColumns: ['customer_external_id'],
    keyOf: (l) => l.customerExternalId,
    // The permanent limit asked for last (a request waiting, else the limit in force): a row asking
    // for it again is unchanged — a nightly extract raises no second request — another amount a request.
    async stored(executor, inputs) {
      const found = new Map<string, ImportedLimit>();
      for (const ids of chunkOf(
        inputs.map((l) => l.customerExternalId),
        5_000,
      )) {
        const rows = await executor
          .selectFrom('credit_limits')
          .innerJoin('customers', 'customers.id', 'credit_limits.subject_id')
          .select([
            'customers.external_id as customerExternalId',
            'credit_limits.amount_minor as amountMinor',
            'credit_limits.currency',
          ])
          .where('credit_limits.subject_type', '=', 'customer')
          .where('credit_limits.kind', '=', 'permanent')
          .where('credit_limits.status', '=', 'active')
          .where('customers.external_id', 'in', ids)
          .execute();
        for (const row of rows) found.set(row.customerExternalId, row);
        const waiting = await executor
          .selectFrom('limit_requests')
          .innerJoin('customers', 'customers.id', 'limit_requests.subject_id')
          .select([
            'customers.external_id as customerExternalId',
            'limit_requests.amount_minor as amountMinor',
            'limit_requests.currency',
          ])
          .where('limit_requests.subject_type', '=', 'customer')
          .where('limit_requests.kind', '=', 'permanent')
          .where('limit_requests.status', '=', 'pending')
          .where('customers.external_id', 'in', ids)
          .orderBy('limit_requests.created_at')
          .orderBy('limit_requests.id')
          .execute();
        for (const row of waiting) found.set(row.customerExternalId, row);
      }
      return found;
    },
    mutable: ['amountMinor'],
    immutableWhy: "a customer's limits are kept in one currency",
    update: (services, actor, pairs) =>
      requestLimits(
        services,
        actor,
        pairs.map((p) => p.input),
      ).then(() => {}),
  },
};

export const fxRates: ImportKind<FxRateInput> = {
  columns: ['base', 'quote', 'as_of', 'rate'],
  optionalColumns: [],
  columnOf: { asOf: 'as_of' },
  sample: { base: 'USD', quote: 'CNY', as_of: '2026-01-05', rate: '7.1234' },
  toInput: (r) => ({
    base: r.base ?? '',
    quote: r.quote ?? '',
    asOf: r.as_of ?? '',
    rate: optional(r.rate) === undefined ? Number.NaN : Number(r.rate),
  }),
  check: validateFxRate,
  write: recordFxRates,
  keyed: {
    keyColumns: ['base', 'quote', 'as_of'],
    keyOf: (r) => `${r.base}/${r.quote}/${r.asOf}`,
    async stored(executor, inputs) {
      const days = [...new Set(inputs.map((r) => r.asOf))];
      const found = new Map<string, FxRateInput>();
      for (const chunk of chunkOf(days, 5_000)) {
        const rows = await executor
          .selectFrom('fx_rates')
          .select(['base', 'quote', 'as_of as asOf', 'rate'])
          .where('as_of', 'in', chunk)
          .execute();
        for (const row of rows) found.set(`${row.base}/${row.quote}/${row.asOf}`, row);
      }
      return found;
    },
    mutable: ['rate'],
    immutableWhy: 'a rate is known by its pair and day',
    update: (services, actor, pairs) =>
      recordFxRates(
        services,
        actor,
        pairs.map((p) => p.input),
      ).then(() => {}),
  },
};
