import { formatMoney } from '../i18n';
import { useLocale } from '../locale';
import { type Deadline, useDeadlineColumns } from '../pages/Insurance';
import { Table } from './Table';
import { useApi } from './useApi';

/** The customer's insured and uninsured exposure, and its invoices against the insurer's deadlines. */
export function InsuranceCover({
  customerId,
  currency,
  insuredMinor,
  uninsuredMinor,
}: {
  customerId: string;
  currency: string;
  insuredMinor: number;
  uninsuredMinor: number;
}) {
  const { t, locale } = useLocale();
  const deadlines = useApi<{ items: Deadline[] }>(`/v1/insurance/deadlines?customerId=${customerId}`);
  const columns = useDeadlineColumns().filter((_, i) => i !== 1);
  return (
    <div className="card" data-testid="insurance-cover">
      <h3>{t('insuranceCover')}</h3>
      <dl className="facts">
        <dt>{t('insuredExposure')}</dt>
        <dd>{formatMoney(insuredMinor, currency, locale)}</dd>
        <dt>{t('uninsuredExposure')}</dt>
        <dd>{formatMoney(uninsuredMinor, currency, locale)}</dd>
      </dl>
      {deadlines.data && deadlines.data.items.length > 0 && (
        <Table
          rows={deadlines.data.items}
          columns={columns}
          rowKey={(d) => d.invoiceId}
          testId="customer-deadlines"
        />
      )}
    </div>
  );
}
