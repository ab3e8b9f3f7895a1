import { useMemo, useState } from 'react';
import { api } from '../api';
import { Chart, type ChartOption } from '../components/Chart';
import { Status } from '../components/Status';
import { formatCompactMoney, formatMoney, formatNumber } from '../i18n';
import { useLocale } from '../locale';

interface Point {
  salesMinor: number;
  lossMinor: number;
  params: Record<string, unknown> & { family: 'static' | 'fulcrum' };
}
interface Frontier {
  currency: string;
  from: string | null;
  to: string;
  sales: number;
  candidates: number;
  lossBudgetMinor: number;
  current: { salesMinor: number; lossMinor: number; policyVersion: number };
  baseline: Point | null;
  best: Point | null;
  upliftPct: number | null;
  frontier: { baseline: Point[]; fulcrum: Point[] };
}

/** Balance (H2): the efficient frontier of sales against loss over the book's history, and a pick drafted as a policy. */
export function Balance() {
  const { t, locale } = useLocale();
  const [candidates, setCandidates] = useState('500');
  const [running, setRunning] = useState(false);
  const [result, setResult] = useState<Frontier | null>(null);
  const [message, setMessage] = useState<string | null>(null);

  const run = async () => {
    setRunning(true);
    setMessage(null);
    try {
      setResult(
        await api<Frontier>('/v1/simulations/frontier', {
          method: 'POST',
          body: { candidates: Number(candidates) },
        }),
      );
    } catch (e) {
      setMessage(`${t('error')}: ${(e as Error).message}`);
    } finally {
      setRunning(false);
    }
  };
  const draft = async (point: Point) => {
    try {
      const made = await api<{ policy: { version: number }; limitRule: string }>(
        '/v1/simulations/frontier/policy',
        {
          method: 'POST',
          body: {
            name: `${t('frontierPick')} ${new Date().toISOString().slice(0, 10)}`,
            params: point.params,
          },
        },
      );
      setMessage(`${t('draftCreated')} v${made.policy.version} · ${t('limitRule')}: ${made.limitRule}`);
    } catch (e) {
      setMessage(`${t('error')}: ${(e as Error).message}`);
    }
  };

  const option = useMemo((): ChartOption | null => {
    if (!result) return null;
    const xy = (p: { salesMinor: number; lossMinor: number }) => [p.lossMinor, p.salesMinor];
    const money = (v: number) => formatCompactMoney(v, result.currency, locale);
    return {
      tooltip: {
        trigger: 'item',
        formatter: (p: { seriesName: string; value: number[] }) =>
          `${p.seriesName}<br/>${t('sales')} ${money(p.value[1] as number)}<br/>${t('loss')} ${money(p.value[0] as number)}`,
      },
      legend: { top: 0 },
      grid: { left: 80, right: 20, top: 40, bottom: 40 },
      xAxis: { type: 'value', name: t('loss'), axisLabel: { formatter: money } },
      yAxis: { type: 'value', name: t('sales'), axisLabel: { formatter: money } },
      series: [
        {
          name: t('staticBaseline'),
          type: 'line',
          step: 'end',
          symbolSize: 5,
          data: result.frontier.baseline.map(xy),
          color: '#9aa5b1',
        },
        {
          name: t('fulcrumFamily'),
          type: 'line',
          step: 'end',
          symbolSize: 5,
          data: result.frontier.fulcrum.map(xy),
          color: '#2f6fdf',
        },
        {
          name: t('currentPolicy'),
          type: 'scatter',
          symbolSize: 14,
          data: [xy(result.current)],
          color: '#d64545',
        },
        ...(result.best
          ? [
              {
                name: t('bestWithinBudget'),
                type: 'scatter',
                symbol: 'diamond',
                symbolSize: 16,
                data: [xy(result.best)],
                color: '#1f9d55',
              },
            ]
          : []),
      ],
    };
  }, [result, locale, t]);

  return (
    <section data-testid="balance">
      <h2>{t('navBalance')}</h2>
      <p className="muted">{t('balanceIntro')}</p>
      <div className="filters">
        <label>
          {t('candidates')}{' '}
          <input
            aria-label={t('candidates')}
            type="number"
            min={1}
            max={5000}
            value={candidates}
            onChange={(e) => setCandidates(e.target.value)}
          />
        </label>
        <button type="button" className="primary" disabled={running} onClick={run}>
          {running ? t('running') : t('runFrontier')}
        </button>
      </div>
      <Status message={message} />
      {result && option && (
        <>
          <div className="card" data-testid="frontier-summary">
            <p>
              {t('frontierOf')} {formatNumber(result.sales, locale, 0)} {t('salesReplayed')} ·{' '}
              {t('lossBudget')} {formatMoney(result.lossBudgetMinor, result.currency, locale)}
            </p>
            <dl className="facts">
              <dt>{t('currentPolicy')}</dt>
              <dd>
                {formatMoney(result.current.salesMinor, result.currency, locale)} /{' '}
                {formatMoney(result.current.lossMinor, result.currency, locale)}
              </dd>
              <dt>{t('staticBaseline')}</dt>
              <dd>
                {result.baseline ? formatMoney(result.baseline.salesMinor, result.currency, locale) : '—'}
              </dd>
              <dt>{t('bestWithinBudget')}</dt>
              <dd>{result.best ? formatMoney(result.best.salesMinor, result.currency, locale) : '—'}</dd>
              <dt>{t('uplift')}</dt>
              <dd data-testid="uplift">
                {result.upliftPct === null ? '—' : `${formatNumber(result.upliftPct, locale)} %`}
              </dd>
            </dl>
            {result.best && (
              <button type="button" onClick={() => result.best && draft(result.best)}>
                {t('draftThisPolicy')}
              </button>
            )}
          </div>
          <div className="card">
            <Chart option={option} height={360} label={t('frontierChart')} />
          </div>
        </>
      )}
    </section>
  );
}
