import { wordFor } from '../codes';
import { useApi } from '../components/useApi';
import { formatDate } from '../i18n';
import { useLocale } from '../locale';

interface Model {
  id: string;
  status: string;
  createdAt: string;
  trainingRows: number;
  backTest: {
    auc: number;
    ks: number;
    psi: number;
    testRows: number;
    challenger?: { auc: number; verdict: string };
    segmentation?: { chosen: string };
  } | null;
}

/** The champion late-payment model's back-test at a glance: how well it ranks, whether it drifts (A3). */
export function ModelHealth() {
  const { t, locale } = useLocale();
  const models = useApi<{ items: Model[] }>('/v1/models');
  const champion = models.data?.items.find((m) => m.status === 'champion');
  if (models.error) return <p className="error">{models.error}</p>;
  if (!models.data) return <p>{t('loading')}</p>;
  if (!champion?.backTest) return <p className="muted">{t('noModel')}</p>;
  const b = champion.backTest;
  // Model statistics read side by side: always three places (0.890, not 0.89).
  const n = (x: number) => x.toLocaleString(locale, { minimumFractionDigits: 3, maximumFractionDigits: 3 });
  return (
    <dl className="facts" data-testid="model-health">
      <dt>{t('trainedOn')}</dt>
      <dd>{formatDate(champion.createdAt, locale)}</dd>
      <dt>{t('backTestAuc')}</dt>
      <dd>
        {n(b.auc)} · KS {n(b.ks)}
      </dd>
      <dt>{t('scorePsi')}</dt>
      <dd className={b.psi > 0.25 ? 'bad' : ''}>{n(b.psi)}</dd>
      {b.challenger && (
        <>
          <dt>{t('challenger')}</dt>
          <dd className={b.challenger.verdict === 'challenger_ahead' ? 'warn' : ''}>
            {n(b.challenger.auc)} · {wordFor(b.challenger.verdict, locale)}
          </dd>
        </>
      )}
      {b.segmentation && (
        <>
          <dt>{t('weights')}</dt>
          <dd>{wordFor(b.segmentation.chosen, locale)}</dd>
        </>
      )}
    </dl>
  );
}
