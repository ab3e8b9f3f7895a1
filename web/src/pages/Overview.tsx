import { useMemo } from 'react';
import { api } from '../api';
import { wordFor } from '../codes';
import { Appetite } from '../components/Appetite';
import { Chart, type ChartOption } from '../components/Chart';
import { PdfButton } from '../components/PdfButton';
import { useApi } from '../components/useApi';
import { formatCompactMoney, formatMoney, formatNumber, formatPercent, type MessageKey } from '../i18n';
import { useLocale } from '../locale';
import { ModelHealth } from './ModelHealth';
import { RatingMigration } from './RatingMigration';

interface Overview {
  asOf: string;
  currency: string;
  customers: number;
  limitMinor: number;
  exposureMinor: number;
  availableMinor: number;
  overdueMinor: number;
  utilisation: number | null;
  overLimit: number;
  blocked: number;
  utilisationBands: { band: string; customers: number; exposureMinor: number }[];
  riskClasses: { riskClass: string; customers: number; exposureMinor: number; limitMinor: number }[];
  topExposures: {
    customerId: string;
    name: string;
    riskClass: string;
    limitMinor: number;
    exposureMinor: number;
    overdueMinor: number;
    utilisation: number | null;
  }[];
  alerts: { heldOrders: number; pendingLimitRequests: number; openDisputes: number; brokenPromises: number };
  kpis: {
    ordersDecided: number;
    approvalRate: number | null;
    salesEnabledMinor: number;
    medianTurnaroundHours: number | null;
    lossRate12m: number | null;
  };
}

interface Aging {
  asOf: string;
  buckets: Record<'currentMinor' | 'd1to30Minor' | 'd31to60Minor' | 'd61to90Minor' | 'over90Minor', number>;
}
interface Dso {
  months: { month: string; dso: number | null; cei: number | null }[];
}

const BUCKETS = [
  ['currentMinor', 'current'],
  ['d1to30Minor', 'd1to30'],
  ['d31to60Minor', 'd31to60'],
  ['d61to90Minor', 'd61to90'],
  ['over90Minor', 'over90'],
] as const;
const BUCKET_COLOURS = ['#5b8ff9', '#f6bd16', '#e8684a', '#c2185b', '#6d1b1b'];

/** The last day of each of the `count` months before `asOf`'s month, oldest first. */
function monthEnds(asOf: string, count: number): string[] {
  const [y, m] = asOf.split('-').map(Number);
  return Array.from({ length: count }, (_, i) => {
    const end = new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1 - (count - 1 - i), 0));
    return end.toISOString().slice(0, 10);
  });
}

const monthOf = (date: string) => date.slice(0, 7);

/** `today` is the server's business date, so every request of the page starts at once. */
export function Overview({ today }: { today: string }) {
  const { t, locale } = useLocale();
  const overview = useApi<Overview>('/v1/portfolio/overview');
  const ends = useMemo(() => monthEnds(today, 6), [today]);
  const agingNow = useApi<Aging>(`/v1/receivables/aging?asOf=${today}`);
  const agingHistory = useAgingHistory(ends);
  const first = ends[0];
  const last = ends.at(-1);
  const dso = useApi<Dso>(
    first && last
      ? `/v1/receivables/dso?from=${monthOf(ends[0] ?? first)}&to=${monthOf(last)}&method=countback`
      : null,
  );
  const o = overview.data;
  const money = (minor: number) => formatCompactMoney(minor, o?.currency ?? 'CNY', locale);

  const currency = o?.currency ?? 'CNY';
  const agingOption = useMemo<ChartOption | null>(() => {
    const rows = [...agingHistory, ...(agingNow.data ? [agingNow.data] : [])];
    if (rows.length === 0) return null;
    const short = (v: number) => formatCompactMoney(v, currency, locale);
    return {
      tooltip: { trigger: 'axis', valueFormatter: short },
      legend: { top: 0 },
      grid: { left: 70, right: 10, top: 40, bottom: 30 },
      xAxis: { type: 'category', data: rows.map((r) => r.asOf) },
      yAxis: { type: 'value', axisLabel: { formatter: short } },
      series: BUCKETS.map(([key, label], i) => ({
        name: t(label),
        type: 'bar',
        stack: 'aging',
        color: BUCKET_COLOURS[i],
        data: rows.map((r) => r.buckets[key]),
      })),
    };
  }, [agingHistory, agingNow.data, currency, locale, t]);

  const dsoOption = useMemo<ChartOption | null>(() => {
    if (!dso.data) return null;
    return {
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 50, right: 50, top: 55, bottom: 30 },
      xAxis: { type: 'category', data: dso.data.months.map((m) => m.month) },
      yAxis: [
        { type: 'value', name: t('dso') },
        { type: 'value', name: t('cei'), max: 100 },
      ],
      series: [
        { name: t('dso'), type: 'line', data: dso.data.months.map((m) => m.dso) },
        { name: t('cei'), type: 'line', yAxisIndex: 1, data: dso.data.months.map((m) => m.cei) },
      ],
    };
  }, [dso.data, t]);

  if (overview.error) return <p className="error">{overview.error}</p>;
  if (!o) return <p>{t('loading')}</p>;

  const utilisationOption: ChartOption = {
    tooltip: { trigger: 'axis' },
    grid: { left: 40, right: 10, top: 20, bottom: 30 },
    xAxis: { type: 'category', data: o.utilisationBands.map((b) => wordFor(b.band, locale)) },
    yAxis: { type: 'value', name: t('customersCount') },
    series: [{ type: 'bar', data: o.utilisationBands.map((b) => b.customers), color: '#5b8ff9' }],
  };
  const riskOption: ChartOption = {
    tooltip: { trigger: 'item', valueFormatter: (v: number) => money(v) },
    legend: { bottom: 0 },
    series: [
      {
        type: 'pie',
        radius: ['32%', '58%'],
        center: ['50%', '42%'],
        label: { show: false },
        data: o.riskClasses.map((c) => ({
          name: `${t('riskClass')} ${c.riskClass}`,
          value: c.exposureMinor,
        })),
      },
    ],
  };
  const cards: [MessageKey, string, string?][] = [
    ['totalExposure', money(o.exposureMinor)],
    ['totalLimits', money(o.limitMinor)],
    ['utilisation', formatPercent(o.utilisation, locale)],
    ['overdue', money(o.overdueMinor), 'warn'],
    ['overLimit', formatNumber(o.overLimit, locale, 0), o.overLimit > 0 ? 'warn' : undefined],
    ['blocked', formatNumber(o.blocked, locale, 0)],
  ];
  const alerts: [MessageKey, number, string][] = [
    ['heldOrders', o.alerts.heldOrders, '#/queue'],
    ['pendingLimitRequests', o.alerts.pendingLimitRequests, '#/approvals'],
    ['openDisputes', o.alerts.openDisputes, '#/collections'],
    ['brokenPromises', o.alerts.brokenPromises, '#/collections'],
  ];
  return (
    <div className="overview" data-testid="overview">
      <p>
        <PdfButton
          path="/v1/portfolio/report"
          fileName={`portfolio-report-${o.asOf}.pdf`}
          label={t('portfolioReportPdf')}
          testId="portfolio-report"
        />
      </p>
      <section className="cards">
        {cards.map(([key, value, tone]) => (
          <div key={key} className={`card kpi ${tone ?? ''}`}>
            <span className="muted">{t(key)}</span>
            <strong data-testid={`kpi-${key}`}>{value}</strong>
          </div>
        ))}
      </section>
      <section className="grid">
        <div className="card">
          <h2>{t('alertsTitle')}</h2>
          <ul className="alerts">
            {alerts.map(([key, count, href]) => (
              <li key={key}>
                <a href={href}>
                  {t(key)} <strong>{count}</strong>
                </a>
              </li>
            ))}
          </ul>
          <h2>{t('kpiTitle')}</h2>
          <dl className="facts">
            <dt>{t('ordersDecided')}</dt>
            <dd>{formatNumber(o.kpis.ordersDecided, locale, 0)}</dd>
            <dt>{t('approvalRate')}</dt>
            <dd>{formatPercent(o.kpis.approvalRate, locale)}</dd>
            <dt>{t('turnaround')}</dt>
            <dd>
              {o.kpis.medianTurnaroundHours === null
                ? '—'
                : t('hourCount', { count: Math.round(o.kpis.medianTurnaroundHours * 10) / 10 })}
            </dd>
            <dt>{t('salesEnabled')}</dt>
            <dd>{money(o.kpis.salesEnabledMinor)}</dd>
            <dt>{t('lossRate')}</dt>
            <dd>{formatPercent(o.kpis.lossRate12m, locale)}</dd>
          </dl>
          <h2>{t('modelTitle')}</h2>
          <ModelHealth />
          <h2>{t('appetiteTitle')}</h2>
          <Appetite />
        </div>
        <div className="card wide">
          <h2>{t('agingByMonth')}</h2>
          {agingOption ? <Chart option={agingOption} label={t('agingByMonth')} /> : <p>{t('loading')}</p>}
        </div>
        <div className="card">
          <h2>{t('utilisationTitle')}</h2>
          <Chart option={utilisationOption} label={t('utilisationTitle')} />
        </div>
        <div className="card">
          <h2>{t('riskTitle')}</h2>
          <Chart option={riskOption} label={t('riskTitle')} />
        </div>
        <div className="card">
          <h2>{t('migrationTitle')}</h2>
          {first ? <RatingMigration from={first} to={today} /> : null}
        </div>
        <div className="card">
          <h2>{t('dsoTitle')}</h2>
          {dsoOption ? <Chart option={dsoOption} label={t('dsoTitle')} /> : <p>{t('loading')}</p>}
        </div>
      </section>
      <section className="card">
        <h2>{t('topTitle')}</h2>
        <div className="scroll">
          <table data-testid="top-exposures">
            <thead>
              <tr>
                <th>{t('customer')}</th>
                <th>{t('riskClass')}</th>
                <th className="num">{t('exposure')}</th>
                <th className="num">{t('limit')}</th>
                <th className="num">{t('utilisation')}</th>
                <th className="num">{t('overdue')}</th>
              </tr>
            </thead>
            <tbody>
              {o.topExposures.map((c) => (
                <tr key={c.customerId}>
                  <td>
                    <a href={`#/customer/${c.customerId}`}>{c.name}</a>
                  </td>
                  <td>{c.riskClass}</td>
                  <td className="num">{formatMoney(c.exposureMinor, o.currency, locale)}</td>
                  <td className="num">{formatMoney(c.limitMinor, o.currency, locale)}</td>
                  <td className={`num ${(c.utilisation ?? 0) > 1 ? 'bad' : ''}`}>
                    {formatPercent(c.utilisation, locale)}
                  </td>
                  <td className="num">{formatMoney(c.overdueMinor, o.currency, locale)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </div>
  );
}

/** The book's aging at each month-end, fetched together. */
function useAgingHistory(ends: string[]): Aging[] {
  const key = ends.join(',');
  const history = useApi<Aging[]>(key ? `aging-history:${key}` : null, () =>
    Promise.all(ends.map((end) => fetchAging(end))),
  );
  return history.data ?? [];
}

const fetchAging = (asOf: string) => api<Aging>(`/v1/receivables/aging?asOf=${asOf}`);
