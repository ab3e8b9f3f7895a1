import { useMemo } from 'react';
import { Chart, type ChartOption } from '../components/Chart';
import { useApi } from '../components/useApi';
import { formatDate, formatNumber } from '../i18n';
import { useLocale } from '../locale';

interface Migration {
  from: string;
  to: string;
  /** Customers by grade at `from` (rows) and at `to` (columns); index 0 = grade 1. */
  matrix: number[][];
  upgraded: number;
  downgraded: number;
  unchanged: number;
  newlyRated: number;
}

const GRADES = Array.from({ length: 10 }, (_, i) => String(i + 1));

/** Where the customers rated on `from` stand on `to`, grade by grade (A6, H1). */
export function RatingMigration({ from, to }: { from: string; to: string }) {
  const { t, locale } = useLocale();
  const migration = useApi<Migration>(`/v1/portfolio/rating-migration?from=${from}&to=${to}`);
  const m = migration.data;
  const option = useMemo<ChartOption | null>(() => {
    if (!m) return null;
    const cells = m.matrix.flatMap((row, then) =>
      row.flatMap((count, now) => (count > 0 ? [[now, then, count]] : [])),
    );
    return {
      tooltip: {
        formatter: (p: { value: number[] }) =>
          `${t('gradeThen')} ${(p.value[1] ?? 0) + 1} → ${t('gradeNow')} ${(p.value[0] ?? 0) + 1}: ${p.value[2]}`,
      },
      grid: { left: 50, right: 10, top: 10, bottom: 40 },
      xAxis: { type: 'category', data: GRADES, name: t('gradeNow'), nameLocation: 'middle', nameGap: 25 },
      yAxis: {
        type: 'category',
        data: GRADES,
        name: t('gradeThen'),
        nameLocation: 'middle',
        nameGap: 30,
        inverse: true,
      },
      visualMap: {
        show: false,
        min: 0,
        max: Math.max(1, ...cells.map((c) => c[2] ?? 0)),
        inRange: { color: ['#e8eefc', '#1d4ed8'] },
      },
      series: [{ type: 'heatmap', data: cells, label: { show: true } }],
    };
  }, [m, t]);
  if (migration.error) return <p className="error">{migration.error}</p>;
  if (!m || !option) return <p>{t('loading')}</p>;
  const count = (n: number) => formatNumber(n, locale, 0);
  return (
    <>
      <p className="muted">
        {formatDate(m.from, locale)} → {formatDate(m.to, locale)}
      </p>
      <Chart option={option} label={t('migrationTitle')} />
      <p data-testid="migration-summary">
        {t('upgraded')} <strong>{count(m.upgraded)}</strong> · {t('downgraded')}{' '}
        <strong>{count(m.downgraded)}</strong> · {t('unchanged')} <strong>{count(m.unchanged)}</strong> ·{' '}
        {t('newlyRated')} <strong>{count(m.newlyRated)}</strong>
      </p>
    </>
  );
}
