import { useMemo, useState } from 'react';
import { api } from '../api';
import { Chart, type ChartOption } from '../components/Chart';
import { PolicyReviews } from '../components/PolicyReviews';
import { SimulationProgress } from '../components/SimulationProgress';
import { Status } from '../components/Status';
import { StressTest } from '../components/StressTest';
import { useSimulation } from '../components/useSimulation';
import { formatCompactMoney, formatMoney, formatNumber, type MessageKey } from '../i18n';
import { useLocale } from '../locale';

interface Measures {
  salesMinor: number;
  lossMinor: number;
  realisedLossMinor: number;
  expectedLossMinor: number;
  dsoDays: number | null;
  queuedPerWeek: number;
  withinAppetite: boolean;
  appetiteBreaches: string[];
}
interface Point extends Measures {
  params: Record<string, unknown> & { family: 'static' | 'fulcrum' };
}
interface Frontier {
  currency: string;
  from: string | null;
  to: string;
  sales: number;
  candidates: number;
  lossBudgetMinor: number;
  current: Measures & { policyVersion: number };
  baseline: Point | null;
  best: Point | null;
  bestWithinAppetite: Point | null;
  upliftPct: number | null;
  frontier: { baseline: Point[]; fulcrum: Point[]; efficient: Point[] };
}

/** Balance (H2, H3): the efficient frontier of sales against loss over the book's history, stress tests, policy reviews. */
export function Balance() {
  const { t, locale } = useLocale();
  const [candidates, setCandidates] = useState('500');
  const [message, setMessage] = useState<string | null>(null);
  const sweep = useSimulation<Frontier>();
  const result = sweep.result;

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
    const efficient = (inside: boolean) =>
      result.frontier.efficient.filter((p) => p.withinAppetite === inside).map(xy);
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
          name: t('insideAppetite'),
          type: 'scatter',
          symbolSize: 7,
          data: efficient(true),
          color: '#7fb3ff',
        },
        {
          name: t('outsideAppetite'),
          type: 'scatter',
          symbol: 'triangle',
          symbolSize: 8,
          data: efficient(false),
          color: '#e0a030',
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

  const rows: [MessageKey, Measures | null][] = result
    ? [
        ['currentPolicy', result.current],
        ['staticBaseline', result.baseline],
        ['bestWithinBudget', result.best],
        ['bestWithinAppetite', result.bestWithinAppetite],
      ]
    : [];
  const money = (minor: number) => (result ? formatMoney(minor, result.currency, locale) : '');

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
        <button
          type="button"
          className="primary"
          disabled={sweep.running}
          onClick={() => sweep.start({ kind: 'frontier', candidates: Number(candidates) })}
        >
          {sweep.running ? t('running') : t('runFrontier')}
        </button>
      </div>
      <SimulationProgress job={sweep.job} onCancel={sweep.cancel} />
      <Status message={message ?? (sweep.error ? `${t('error')}: ${sweep.error}` : null)} />
      {result && option && (
        <>
          <div className="card" data-testid="frontier-summary">
            <p>
              {t('frontierOf')} {formatNumber(result.sales, locale, 0)} {t('salesReplayed')} ·{' '}
              {t('lossBudget')} {money(result.lossBudgetMinor)} · {t('uplift')}{' '}
              <strong data-testid="uplift">
                {result.upliftPct === null ? '—' : `${formatNumber(result.upliftPct, locale)} %`}
              </strong>
            </p>
            <table>
              <thead>
                <tr>
                  <th />
                  <th className="num">{t('sales')}</th>
                  <th className="num">{t('realisedLoss')}</th>
                  <th className="num">{t('expectedLoss')}</th>
                  <th className="num">DSO</th>
                  <th className="num">{t('queuePerWeek')}</th>
                  <th>{t('riskAppetite')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map(([label, p]) => (
                  <tr key={label}>
                    <th scope="row">{t(label)}</th>
                    {p ? (
                      <>
                        <td className="num">{money(p.salesMinor)}</td>
                        <td className="num">{money(p.realisedLossMinor)}</td>
                        <td className="num">{money(p.expectedLossMinor)}</td>
                        <td className="num">{formatNumber(p.dsoDays, locale)}</td>
                        <td className="num">{formatNumber(p.queuedPerWeek, locale)}</td>
                        <td className={p.withinAppetite ? undefined : 'breach'}>
                          {p.withinAppetite
                            ? t('insideAppetite')
                            : p.appetiteBreaches.map((m) => t(`appetite_${m}` as MessageKey)).join(', ')}
                        </td>
                      </>
                    ) : (
                      <td colSpan={6}>{t('noneWithinBudget')}</td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
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
      <StressTest />
      <PolicyReviews />
    </section>
  );
}
