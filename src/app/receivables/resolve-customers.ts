import { DomainError } from '../../core/errors.js';
import type { Executor } from '../../store/write.js';
import { idsByExternalId } from '../lookup.js';

/** A row names its customer by internal id (HTTP) or external id (imports). */
export interface CustomerRef {
  readonly customerId?: string;
  readonly customerExternalId?: string;
}

/** Resolves each row's customer to an internal id, or fails the row naming the field. */
export async function resolveCustomerIds(executor: Executor, refs: readonly CustomerRef[]) {
  const byExternal = await idsByExternalId(
    executor,
    'customers',
    refs.flatMap((r) => (r.customerExternalId ? [r.customerExternalId] : [])),
  );
  const internal = [...new Set(refs.flatMap((r) => (r.customerId ? [r.customerId] : [])))];
  const known = new Set(
    internal.length === 0
      ? []
      : (await executor.selectFrom('customers').select('id').where('id', 'in', internal).execute()).map(
          (r) => r.id,
        ),
  );
  return (ref: CustomerRef): string => {
    if (ref.customerId !== undefined) {
      if (known.has(ref.customerId)) return ref.customerId;
      throw new DomainError('unknown_customer', `customer ${ref.customerId} does not exist`, 'customerId');
    }
    const id = ref.customerExternalId ? byExternal.get(ref.customerExternalId) : undefined;
    if (id) return id;
    throw new DomainError(
      'unknown_customer',
      `no customer has external id "${ref.customerExternalId ?? ''}"`,
      'customerExternalId',
    );
  };
}
