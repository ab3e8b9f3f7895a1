import { useState } from 'react';
import { formatMoney, formatNumber, formatPercent, type MessageKey } from '../i18n';
import { useLocale } from '../locale';
import { SimulationProgress } from './SimulationProgress';
import { Status } from './Status';
import { useSimulation } from './useSimulation';

interface Outcome {
  salesMinor: number;
  lossMinor: number;
  realisedLossMinor: number;
  expectedLossMinor: number;
  dsoDays: number | null;
  appetiteBreaches: string[];
}
interface Stress {
  currency: string;
  scenario: { pdScale: number; paymentDelayDays: number; largestDefaults: number; horizonDays: number };
  replay: { base: Outcome; stressed: Outcome };
  book: {
    expectedLossMinor: { base: number; stressed: number };
    largestDefaults: { customerId: string; name: string; exposureMinor: number; lossMinor: number }[];
    defaultLossMinor: number;
    liquidity: {
      horizonDays: number;
      cashInBaseMinor: number;
      cashInStressedMinor: number;
      shortfallMinor: number;
    };
    appetite: {
      stressed: { measure: string; value: number | null; limit: number; breached: boolean }[];
      breaches: string[];
    };
  };
}

type Field = 'pdScale' | 'paymentDelayDays' | 'largestDefaults';
/** The scenario's settings, as POST /v1/simulations takes them. */
const FIELDS: { name: Field; label: MessageKey; min: number; max: number; step?: number }[] = [
  { name: 'pdScale', label: 'stressPdScale', min: 1, max: 10, step: 0.1 },
  { name: 'paymentDelayDays', label: 'stressDelay', min: 0, max: 365 },
  { name: 'largestDefaults', label: 'stressLargest', min: 0, max: 100 },
];

/** Stress tests (H3): the current policy and today's book under worse PDs, slower payment and the largest defaults. */
export function StressTest() {
  const { t, locale } = useLocale();
  const [scenario, setScenario] = useState<Record<Field, string>>({
    pdScale: '2',
    paymentDelayDays: '30',
    largestDefaults: '3',
  });
  const stress = useSimulation<Stress>();
  const r = stress.result;
  const money = (minor: number) => (r ? formatMoney(minor, r.currency, locale) : '');
  const row = (label: string, base: string, stressed: string) => (
    <tr>
      <th scope="row">{label}</th>
      <td className="num">{base}</td>
      <td className="num">{stressed}</td>
    </tr>
  );
  return (
    <div className="card" data-testid="stress-test">
      <h3>{t('stressTest')}</h3>
      <div className="filters">
        {FIELDS.map((f) => (
          <label key={f.name}>
            {t(f.label)}{' '}
            <input
              aria-label={t(f.label)}
              type="number"
              min={f.min}
              max={f.max}
              step={f.step}
              value={scenario[f.name]}
              onChange={(e) => setScenario({ ...scenario, [f.name]: e.target.value })}
            />
          </label>
        ))}
        <button
          type="button"
          className="primary"
          disabled={stress.running}
          onClick={() =>
            stress.start({
              kind: 'stress',
              ...Object.fromEntries(FIELDS.map((f) => [f.name, Number(scenario[f.name])])),
            })
          }
        >
          {t('runStress')}
        </button>
      </div>
      <SimulationProgress job={stress.job} onCancel={stress.cancel} />
      <Status message={stress.error ? `${t('error')}: ${stress.error}` : null} />
      {r && (
        <>
          <table data-testid="stress-result">
            <thead>
              <tr>
                <th />
                <th className="num">{t('unstressed')}</th>
                <th className="num">{t('stressed')}</th>
              </tr>
            </thead>
            <tbody>
              {row(t('sales'), money(r.replay.base.salesMinor), money(r.replay.stressed.salesMinor))}
              {row(t('loss'), money(r.replay.base.lossMinor), money(r.replay.stressed.lossMinor))}
              {row(
                'DSO',
                formatNumber(r.replay.base.dsoDays, locale),
                formatNumber(r.replay.stressed.dsoDays, locale),
              )}
              {row(
                t('bookExpectedLoss'),
                money(r.book.expectedLossMinor.base),
                money(r.book.expectedLossMinor.stressed),
              )}
              {row(
                `${t('cashIn')} ${t('dayCount', { count: r.book.liquidity.horizonDays })}`,
                money(r.book.liquidity.cashInBaseMinor),
                money(r.book.liquidity.cashInStressedMinor),
              )}
            </tbody>
          </table>
          <p>
            {t('defaultLoss')}: <strong>{money(r.book.defaultLossMinor)}</strong> (
            {r.book.largestDefaults.map((d) => d.name).join(', ') || '—'}) · {t('cashShortfall')}:{' '}
            <strong data-testid="cash-shortfall">{money(r.book.liquidity.shortfallMinor)}</strong>
          </p>
          <p className={r.book.appetite.breaches.length > 0 ? 'breach' : undefined}>
            {t('appetiteUnderStress')}:{' '}
            {r.book.appetite.breaches.length === 0
              ? t('noBreach')
              : r.book.appetite.stressed
                  .filter((m) => m.breached)
                  .map(
                    (m) =>
                      `${t(`appetite_${m.measure}` as MessageKey)} ${m.measure === 'targetDsoDays' ? formatNumber(m.value, locale) : formatPercent(m.value, locale)}`,
                  )
                  .join(' · ')}
          </p>
        </>
      )}
    </div>
  );
}
