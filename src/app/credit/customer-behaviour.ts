import { DomainError } from '../../core/errors.js';
import { behaviourFeatures } from '../../core/scoring/behaviour.js';
import type { BusinessDate } from '../../core/time/business-date.js';
import { invoiceHistory } from '../../store/queries/invoice-history.js';
import type { Executor } from '../../store/write.js';

/** A customer's behavioural features from its own ledger, as of today. */
export async function customerBehaviour(executor: Executor, customerId: string, today: BusinessDate) {
  const customer = await executor
    .selectFrom('customers')
    .select('id')
    .where('id', '=', customerId)
    .executeTakeFirst();
  if (!customer) throw new DomainError('customer_not_found', `customer ${customerId} does not exist`);
  const features = behaviourFeatures(await invoiceHistory(executor, customerId), today);
  return { customerId, asOf: today, features };
}
