import { formatPercent, type MessageKey } from '../i18n';
import { useLocale } from '../locale';
import { useApi } from './useApi';

interface Measure {
  measure: string;
  value: number | null;
  limit: number;
  breached: boolean;
  driver: string | null;
}

/** The live book against the risk appetite of the policy in force: each measure, its limit, breaches marked. */
export function Appetite() {
  const { t, locale } = useLocale();
  const appetite = useApi<{ measures: Measure[] }>('/v1/portfolio/appetite');
  if (!appetite.data) return <p className="muted">{appetite.error ?? t('loading')}</p>;
  const shown = (m: Measure, x: number | null) =>
    m.measure !== 'targetDsoDays'
      ? formatPercent(x, locale)
      : x === null
        ? '—'
        : t('dayCount', { count: Math.round(x * 10) / 10 });
  return (
    <dl className="facts" data-testid="appetite">
      {appetite.data.measures.map((m) => (
        <div key={m.measure} className={m.breached ? 'breach' : undefined}>
          <dt>{t(`appetite_${m.measure}` as MessageKey)}</dt>
          <dd>
            {shown(m, m.value)} / {shown(m, m.limit)}
            {m.breached && ` ⚠ ${t('breached')}`}
            {m.driver && <span className="muted"> · {m.driver}</span>}
          </dd>
        </div>
      ))}
    </dl>
  );
}
