import { formatNumber } from '../i18n';
import { useLocale } from '../locale';
import type { SimulationJob } from './useSimulation';

/** A running simulation's progress bar and its cancel button; a cancelled one says so. */
export function SimulationProgress({
  job,
  onCancel,
}: {
  job: SimulationJob<unknown> | null;
  onCancel: () => void;
}) {
  const { t, locale } = useLocale();
  if (!job) return null;
  if (job.status === 'cancelled') return <p className="muted">{t('simulationCancelled')}</p>;
  if (job.status !== 'running') return null;
  const share = job.progress.total > 0 ? job.progress.done / job.progress.total : 0;
  return (
    <div className="filters" data-testid="simulation-progress">
      <progress value={share} max={1} aria-label={t('simulationProgress')} />
      <span className="muted">
        {formatNumber(share * 100, locale, 0)} % · {job.progress.done}/{job.progress.total}
      </span>
      <button type="button" onClick={onCancel}>
        {t('cancel')}
      </button>
    </div>
  );
}
