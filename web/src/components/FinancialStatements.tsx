import { formatDate, formatMoney, formatNumber, formatPercent } from '../i18n';
import { useLocale } from '../locale';
import { Table } from './Table';
import { useApi } from './useApi';

type Ratio = number | null;
interface Statement {
  periodEnd: string;
  periodMonths: number;
  currency: string;
  revenueMinor: number;
  equityMinor: number;
  ratios: {
    workingCapitalMinor: number;
    currentRatio: Ratio;
    debtToEquity: Ratio;
    interestCoverage: Ratio;
    netMargin: Ratio;
    altmanZ: { value: number; zone: 'distress' | 'grey' | 'safe' } | null;
  };
  trend: { currentRatio: Ratio; debtToEquity: Ratio; netMargin: Ratio };
  supportedLimitMinor: number;
}

/** ↑ or ↓ beside a ratio: which way it moved since the period before. */
function moved(change: Ratio) {
  if (change === null || Math.abs(change) < 1e-9) return '';
  return change > 0 ? ' ↑' : ' ↓';
}

/** On the customer 360: the statements by period, their ratios, Altman Z″ and its zone (A5). */
export function FinancialStatements({ customerId }: { customerId: string }) {
  const { t, locale } = useLocale();
  const statements = useApi<{ items: Statement[] }>(`/v1/customers/${customerId}/financial-statements`);
  const items = statements.data?.items ?? [];
  const ratio = (value: Ratio) => formatNumber(value, locale, 2);
  return (
    <div className="card wide" data-testid="financial-statements">
      <h3>{t('financialStatements')}</h3>
      {items.length === 0 ? (
        <p className="muted">{statements.data ? t('noStatements') : t('loading')}</p>
      ) : (
        <Table
          rows={items}
          rowKey={(s) => s.periodEnd}
          columns={[
            { header: t('periodEnd'), cell: (s) => formatDate(s.periodEnd, locale) },
            {
              header: t('revenue'),
              numeric: true,
              cell: (s) => formatMoney(s.revenueMinor, s.currency, locale),
            },
            {
              header: t('currentRatio'),
              numeric: true,
              cell: (s) => `${ratio(s.ratios.currentRatio)}${moved(s.trend.currentRatio)}`,
            },
            {
              header: t('debtToEquity'),
              numeric: true,
              cell: (s) => `${ratio(s.ratios.debtToEquity)}${moved(s.trend.debtToEquity)}`,
            },
            { header: t('interestCover'), numeric: true, cell: (s) => ratio(s.ratios.interestCoverage) },
            {
              header: t('netMargin'),
              numeric: true,
              cell: (s) => `${formatPercent(s.ratios.netMargin, locale)}${moved(s.trend.netMargin)}`,
            },
            {
              header: 'Altman Z″',
              cell: (s) =>
                s.ratios.altmanZ ? (
                  <span className={`zone-${s.ratios.altmanZ.zone}`} data-testid="z-zone">
                    {ratio(s.ratios.altmanZ.value)} · {t(`zone_${s.ratios.altmanZ.zone}`)}
                  </span>
                ) : (
                  '—'
                ),
            },
            {
              header: t('supportedLimit'),
              numeric: true,
              cell: (s) => formatMoney(s.supportedLimitMinor, s.currency, locale),
            },
          ]}
        />
      )}
    </div>
  );
}
