import { validateCustomer } from '../../../core/customers/customer.js';
import { chunkOf } from '../../../store/write.js';
import { createCustomers, ensureGroups, type NewCustomer } from '../../customers/create-customers.js';
import { updateCustomer } from '../../customers/update-customer.js';
import { idsByExternalId } from '../../lookup.js';
import type { ImportKind } from '../import-kind.js';
import { optional } from '../import-kind.js';

/** An optional column: absent from the header stays undefined (an upsert leaves it), empty is null. */
const nullable = (row: Record<string, string>, column: string) =>
  column in row ? (optional(row[column]) ?? null) : undefined;

export const customers: ImportKind<NewCustomer> = {
  columns: ['external_id', 'name', 'country', 'currency', 'segment'],
  optionalColumns: ['group_external_id', 'sales_owner', 'registration_id'],
  columnOf: {
    groupExternalId: 'group_external_id',
    salesOwner: 'sales_owner',
    registrationId: 'registration_id',
  },
  sample: {
    external_id: 'C-1001',
    name: '上海宏达电子科技有限公司',
    country: 'CN',
    currency: 'CNY',
    segment: 'mid',
    group_external_id: 'G-HONGDA',
    sales_owner: 'wang.fang',
    registration_id: '91350100M000100Y43',
  },
  toInput: (r) => ({
    externalId: r.external_id ?? '',
    name: r.name ?? '',
    country: r.country ?? '',
    currency: r.currency ?? '',
    segment: r.segment ?? '',
    groupExternalId: nullable(r, 'group_external_id'),
    salesOwner: nullable(r, 'sales_owner'),
    registrationId: nullable(r, 'registration_id'),
  }),
  check: validateCustomer,
  references: [],
  write: createCustomers,
  keyed: {
    keyColumns: ['external_id'],
    keyOf: (c) => c.externalId,
    async stored(executor, inputs) {
      const found = new Map<string, NewCustomer>();
      for (const ids of chunkOf(
        inputs.map((c) => c.externalId),
        5_000,
      )) {
        const rows = await executor
          .selectFrom('customers')
          .leftJoin('customer_groups', 'customer_groups.id', 'customers.group_id')
          .select([
            'customers.external_id as externalId',
            'customers.name',
            'customers.country',
            'customers.currency',
            'customers.segment',
            'customer_groups.external_id as groupExternalId',
            'customers.sales_owner as salesOwner',
            'customers.registration_id as registrationId',
          ])
          .where('customers.external_id', 'in', ids)
          .execute();
        for (const row of rows) found.set(row.externalId, row);
      }
      return found;
    },
    mutable: ['name', 'country', 'segment', 'groupExternalId', 'salesOwner', 'registrationId'],
    immutableWhy: 'a customer keeps the currency its ledger and limits are kept in',
    async update(services, actor, pairs) {
      const groupIds = await services.store.db.transaction().execute((trx) =>
        ensureGroups(
          services,
          trx,
          actor,
          services.clock.now().toISOString(),
          pairs.flatMap((p) => (p.input.groupExternalId ? [p.input.groupExternalId] : [])),
        ),
      );
      const idOf = await idsByExternalId(
        services.store.db,
        'customers',
        pairs.map((p) => p.input.externalId),
      );
      for (const { input, stored } of pairs) {
        const changed = <K extends keyof NewCustomer>(field: K) =>
          input[field] !== undefined && input[field] !== stored[field];
        await updateCustomer(services, actor, idOf.get(input.externalId) ?? '', {
          ...(changed('name') && { name: input.name }),
          ...(changed('country') && { country: input.country }),
          ...(changed('segment') && { segment: input.segment }),
          ...(changed('groupExternalId') && {
            groupId: input.groupExternalId ? (groupIds.get(input.groupExternalId) ?? null) : null,
          }),
          ...(changed('salesOwner') && { salesOwner: input.salesOwner ?? null }),
          ...(changed('registrationId') && { registrationId: input.registrationId ?? null }),
        });
      }
    },
  },
};
