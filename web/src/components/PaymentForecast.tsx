import { formatDate, formatMoney } from '../i18n';
import { useLocale } from '../locale';
import { Table } from './Table';
import { useApi } from './useApi';

interface Forecast {
  invoiceId: string;
  invoiceNumber: string;
  dueDate: string;
  openMinor: number;
  currency: string;
  expectedOn: string;
  earliestOn: string;
  latestOn: string;
  basis: string;
}

/** On the customer 360: when each open invoice is expected to be paid, from how this customer pays. */
export function PaymentForecast({ customerId }: { customerId: string }) {
  const { t, locale } = useLocale();
  const forecast = useApi<{ items: Forecast[] }>(`/v1/customers/${customerId}/payment-forecast`);
  const date = (d: string) => formatDate(d, locale);
  return (
    <div className="card wide" data-testid="payment-forecast">
      <h3>{t('paymentForecast')}</h3>
      <Table
        rows={[...(forecast.data?.items ?? [])].sort((a, b) => a.expectedOn.localeCompare(b.expectedOn))}
        rowKey={(f) => f.invoiceId}
        columns={[
          { header: t('invoice'), cell: (f) => f.invoiceNumber },
          { header: t('open'), numeric: true, cell: (f) => formatMoney(f.openMinor, f.currency, locale) },
          { header: t('dueOn'), cell: (f) => date(f.dueDate) },
          { header: t('expectedOn'), cell: (f) => <strong>{date(f.expectedOn)}</strong> },
          { header: t('between'), cell: (f) => `${date(f.earliestOn)} – ${date(f.latestOn)}` },
          { header: t('basis'), cell: (f) => t(f.basis === 'customer' ? 'basisCustomer' : 'basisBook') },
        ]}
      />
    </div>
  );
}
