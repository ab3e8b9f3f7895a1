import { useEffect, useState } from 'react';
import { api, upload } from '../api';
import { Table } from '../components/Table';
import { useApi } from '../components/useApi';
import { formatDate } from '../i18n';
import { useLocale } from '../locale';

const KINDS = [
  'customers',
  'invoices',
  'payments',
  'credit-notes',
  'orders',
  'limits',
  'fx-rates',
  'signals',
  'cycle',
  'statements',
] as const;
type Kind = (typeof KINDS)[number];
const MODES = [
  ['insert', 'modeInsert'],
  ['upsert', 'modeUpsert'],
  ['skip-existing', 'modeSkip'],
] as const;

interface Problem {
  row: number;
  line: number;
  column: string;
  code: string;
  reason: string;
}
interface ImportJob {
  id: string;
  kind: Kind;
  status: 'running' | 'done' | 'failed' | 'cancelled';
  request: { fileName?: string; mode?: string };
  progress: { done: number; total: number };
  error: { code: string; message: string } | null;
  requestedAt: string;
  result?: {
    ok: boolean;
    imported?: number;
    updated?: number;
    unchanged?: number;
    skipped?: number;
    problemCount?: number;
    problems?: Problem[];
  } | null;
}

/** Imports over HTTP (I2): a file of any kind uploaded as a job, its progress, its counts or every problem. */
export function Imports() {
  const { t, locale } = useLocale();
  const [kind, setKind] = useState<Kind>('customers');
  const [mode, setMode] = useState<(typeof MODES)[number][0]>('insert');
  const [file, setFile] = useState<File | null>(null);
  const [job, setJob] = useState<ImportJob | null>(null);
  const [error, setError] = useState<string | null>(null);
  const recent = useApi<{ items: ImportJob[] }>('/v1/imports?limit=20');

  // Poll the running job until it is finished.
  useEffect(() => {
    if (job?.status !== 'running') return;
    const timer = setTimeout(
      () =>
        api<ImportJob>(`/v1/imports/${job.id}`)
          .then((next) => {
            setJob(next);
            if (next.status !== 'running') recent.reload();
          })
          .catch((e: Error) => setError(e.message)),
      300,
    );
    return () => clearTimeout(timer);
  }, [job, recent.reload]);

  const start = async () => {
    if (!file) return;
    setError(null);
    setJob(null);
    try {
      setJob(await upload<ImportJob>(`/v1/imports/${kind}?mode=${mode}`, file));
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const result = job?.result;
  const share =
    job && job.progress.total > 0 ? Math.round((job.progress.done / job.progress.total) * 100) : 0;
  return (
    <>
      <h2>{t('importsTitle')}</h2>
      <section className="card">
        <form
          className="application"
          onSubmit={(e) => {
            e.preventDefault();
            void start();
          }}
        >
          <label>
            {t('importKind')}
            <select data-testid="import-kind" value={kind} onChange={(e) => setKind(e.target.value as Kind)}>
              {KINDS.map((k) => (
                <option key={k} value={k}>
                  {t(`kind_${k}`)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('importMode')}
            <select
              data-testid="import-mode"
              value={mode}
              onChange={(e) => setMode(e.target.value as typeof mode)}
            >
              {MODES.map(([value, label]) => (
                <option key={value} value={value}>
                  {t(label)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('importFile')}
            <input
              type="file"
              data-testid="import-file"
              accept=".csv,.xlsx,text/csv"
              onChange={(e) => setFile(e.target.files?.[0] ?? null)}
            />
          </label>
          <button type="submit" data-testid="import-start" disabled={!file || job?.status === 'running'}>
            {t('importStart')}
          </button>
        </form>
        {error && <p className="error">{error}</p>}
        {job?.status === 'running' && (
          <p data-testid="import-progress">
            {t('importRunning')} <progress max={100} value={share} /> {share} %
          </p>
        )}
        {job?.status === 'failed' && <p className="error">{job.error?.message}</p>}
        {result?.ok && (
          <p data-testid="import-result">
            {t('importDone')}: {result.imported} {t('imported')} · {result.updated} {t('updated')} ·{' '}
            {result.unchanged} {t('unchanged')} · {result.skipped} {t('skipped')}
          </p>
        )}
        {result && !result.ok && (
          <>
            <p className="error" data-testid="import-refused">
              {t('importRefused')}: {t('problemCount', { count: result.problemCount ?? 0 })}
            </p>
            <Table
              rows={result.problems ?? []}
              rowKey={(p) => `${p.row}-${p.column}-${p.code}`}
              columns={[
                { header: t('row'), numeric: true, cell: (p) => p.row },
                { header: t('column'), cell: (p) => p.column || '—' },
                { header: t('reason'), cell: (p) => `${p.code}: ${p.reason}` },
              ]}
            />
          </>
        )}
      </section>
      <section className="card">
        <h3>{t('recentImports')}</h3>
        <Table
          rows={recent.data?.items ?? []}
          rowKey={(j) => j.id}
          columns={[
            { header: t('date'), cell: (j) => formatDate(j.requestedAt, locale) },
            { header: t('importKind'), cell: (j) => t(`kind_${j.kind}`) },
            { header: t('fileName'), cell: (j) => j.request.fileName ?? '—' },
            { header: t('status'), cell: (j) => j.status },
          ]}
        />
      </section>
    </>
  );
}
