import { formatDate } from '../i18n';
import { useLocale } from '../locale';
import { Table } from './Table';
import { useApi } from './useApi';

interface Fetch {
  provider: string;
  status: 'ok' | 'failed' | 'circuit_open';
  fetchedAt: string;
  records: number;
  signalsNew: number;
  error: { code: string; message: string } | null;
}

/** On the customer 360: when each outside-data provider was last asked about the customer, and what came of it (A7). */
export function DataFetches({ customerId }: { customerId: string }) {
  const { t, locale } = useLocale();
  const fetches = useApi<{ items: Fetch[] }>(`/v1/customers/${customerId}/data-fetches`);
  // The latest fetch of each provider.
  const latest = [...new Map((fetches.data?.items ?? []).map((f) => [f.provider, f])).values()];
  if (latest.length === 0) return null;
  return (
    <div className="card" data-testid="data-fetches">
      <h3>{t('dataFetches')}</h3>
      <Table
        rows={latest}
        rowKey={(f) => f.provider}
        columns={[
          { header: t('provider'), cell: (f) => f.provider },
          { header: t('date'), cell: (f) => formatDate(f.fetchedAt, locale) },
          {
            header: t('status'),
            cell: (f) =>
              f.status === 'ok' ? t('fetchOk') : `${t(`fetch_${f.status}`)}: ${f.error?.message ?? ''}`,
          },
          { header: t('signalsNew'), numeric: true, cell: (f) => f.signalsNew },
        ]}
      />
    </div>
  );
}
