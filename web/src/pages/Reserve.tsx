import { useMemo, useState } from 'react';
import { api } from '../api';
import { Chart, type ChartOption } from '../components/Chart';
import { ExportButtons } from '../components/ExportButtons';
import { Status } from '../components/Status';
import { type Column, Table } from '../components/Table';
import { useApi } from '../components/useApi';
import { formatCompactMoney, formatDate, formatMoney, formatPercent, type MessageKey } from '../i18n';
import { useLocale } from '../locale';

interface Bucket {
  bucket: string;
  openMinor: number;
  lossRate: number;
  grossReserveMinor: number;
  coverReliefMinor: number;
  reserveMinor: number;
}
interface CustomerLine {
  customerId: string;
  customerName: string;
  openMinor: number;
  coverReliefMinor: number;
  reserveMinor: number;
  recoveryRate?: number;
}
interface Result {
  asOf: string;
  currency: string;
  reserveMinor: number;
  buckets: Bucket[];
  specific: CustomerLine[];
  topCustomers: CustomerLine[];
  coverReliefMinor: number;
  movement: {
    previousAsOf: string | null;
    openingMinor: number;
    chargeMinor: number;
    releaseMinor: number;
    utilisationMinor: number;
    closingMinor: number;
  } | null;
  journal: { entry: string; account: string; debitMinor: number; creditMinor: number }[];
  settings: { method: string; overlay: number; overlayReason: string | null };
  segments:
    | { segment: string; matrix: { bucket: string; lossRate: number; source: 'segment' | 'book' }[] }[]
    | null;
}
interface Run {
  id: string;
  asOf: string;
  currency: string;
  reserveMinor: number;
  status: 'draft' | 'final';
  createdBy: string;
  approvedBy: string | null;
}
interface Backtest {
  currency: string | null;
  items: {
    runId: string;
    asOf: string;
    complete: boolean;
    reserveMinor: number;
    realisedLossMinor: number;
  }[];
}
interface Assessment {
  id: string;
  customerId: string;
  customerName: string;
  recoveryRate: number;
  reason: string;
  status: string;
  proposedBy: string;
}

const lastMonthEnd = (today: string) => {
  const [y, m] = today.split('-').map(Number);
  return new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, 0)).toISOString().slice(0, 10);
};

/** The month-end provision (F1): compute, keep, approve; the matrix, movement and journal; the back-test. */
export function Reserve({ today }: { today: string }) {
  const { t, locale } = useLocale();
  const runs = useApi<{ items: Run[] }>('/v1/provision-runs');
  const backtest = useApi<Backtest>('/v1/provision-runs/backtest');
  const assessments = useApi<{ items: Assessment[] }>('/v1/specific-provisions?status=proposed');
  const [asOf, setAsOf] = useState(lastMonthEnd(today));
  const [method, setMethod] = useState('loss_rate');
  const [segmented, setSegmented] = useState(false);
  const [cyclical, setCyclical] = useState(false);
  const [shown, setShown] = useState<Result | null>(null);
  const [shownRun, setShownRun] = useState<Run | null>(null);
  const [note, setNote] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const money = (minor: number, currency = shown?.currency ?? 'CNY') => formatMoney(minor, currency, locale);

  const compute = async (keep: boolean) => {
    setBusy(true);
    setMessage(null);
    try {
      const result = await api<Result & { run: { id: string } | null }>('/v1/provision-runs', {
        method: 'POST',
        body: {
          asOf,
          method,
          segmentBy: segmented ? 'segment' : 'none',
          ...(cyclical && { overlayFromCycle: true }),
          dryRun: !keep,
        },
      });
      setShown(result);
      setShownRun(null);
      if (keep) {
        setMessage(t('runKept'));
      }
    } catch (e) {
      setMessage(`${t('error')}: ${(e as Error).message}`);
    } finally {
      setBusy(false);
    }
  };
  const open = async (run: Run) => {
    const full = await api<Run & { result: Result }>(`/v1/provision-runs/${run.id}`);
    setShown(full.result);
    setShownRun(run);
    setMessage(null);
  };
  const approve = async () => {
    if (!shownRun) return;
    try {
      const after = await api<Run>(`/v1/provision-runs/${shownRun.id}/approve`, {
        method: 'POST',
        body: { note: note.trim() || '—' },
      });
      setShownRun(after);
      setMessage(t('runApproved'));
    } catch (e) {
      setMessage(`${t('error')}: ${(e as Error).message}`);
    }
  };
  const decide = async (a: Assessment, decision: 'approve' | 'reject') => {
    try {
      await api(`/v1/specific-provisions/${a.id}/${decision}`, { method: 'POST' });
      setMessage(`${t('assessmentDecided')}: ${a.customerName}`);
    } catch (e) {
      setMessage(`${t('error')}: ${(e as Error).message}`);
    }
  };

  const chart = useMemo((): ChartOption | null => {
    const items = backtest.data?.items ?? [];
    const currency = backtest.data?.currency;
    if (items.length === 0 || !currency) return null;
    const short = (v: number) => formatCompactMoney(v, currency, locale);
    return {
      tooltip: { trigger: 'axis', valueFormatter: (v: number) => formatMoney(v, currency, locale) },
      legend: { top: 0 },
      grid: { left: 80, right: 20, top: 40, bottom: 40 },
      xAxis: { type: 'category', data: items.map((i) => (i.complete ? i.asOf : `${i.asOf}*`)) },
      yAxis: { type: 'value', axisLabel: { formatter: short } },
      series: [
        { name: t('reserve'), type: 'bar', data: items.map((i) => i.reserveMinor), color: '#2f6fdf' },
        {
          name: t('realisedLoss'),
          type: 'bar',
          data: items.map((i) => i.realisedLossMinor),
          color: '#d64545',
        },
      ],
    };
  }, [backtest.data, locale, t]);

  const bucketColumns: Column<Bucket>[] = [
    { header: t('bucket'), cell: (b) => t(`bucket_${b.bucket}` as MessageKey) },
    { header: t('open'), cell: (b) => money(b.openMinor), numeric: true },
    { header: t('lossRate'), cell: (b) => formatPercent(b.lossRate, locale), numeric: true },
    { header: t('grossReserve'), cell: (b) => money(b.grossReserveMinor), numeric: true },
    { header: t('coverRelief'), cell: (b) => money(b.coverReliefMinor), numeric: true },
    { header: t('reserve'), cell: (b) => money(b.reserveMinor), numeric: true },
  ];
  const customerColumns: Column<CustomerLine>[] = [
    { header: t('customer'), cell: (c) => <a href={`#/customer/${c.customerId}`}>{c.customerName}</a> },
    { header: t('open'), cell: (c) => money(c.openMinor), numeric: true },
    { header: t('coverRelief'), cell: (c) => money(c.coverReliefMinor), numeric: true },
    { header: t('reserve'), cell: (c) => money(c.reserveMinor), numeric: true },
  ];
  const runColumns: Column<Run>[] = [
    {
      header: t('asOf'),
      cell: (r) => (
        <button type="button" className="link" onClick={() => open(r)}>
          {formatDate(r.asOf, locale)}
        </button>
      ),
    },
    { header: t('reserve'), cell: (r) => formatMoney(r.reserveMinor, r.currency, locale), numeric: true },
    { header: t('state'), cell: (r) => t(`status_${r.status}` as MessageKey) },
    { header: t('runBy'), cell: (r) => r.createdBy },
    { header: t('approvedBy'), cell: (r) => r.approvedBy ?? '—' },
  ];

  return (
    <section data-testid="reserve">
      <h2>{t('reserveTitle')}</h2>
      <div className="filters">
        <label>
          {t('asOf')}{' '}
          <input type="date" aria-label={t('asOf')} value={asOf} onChange={(e) => setAsOf(e.target.value)} />
        </label>
        <label>
          {t('method')}{' '}
          <select aria-label={t('method')} value={method} onChange={(e) => setMethod(e.target.value)}>
            <option value="loss_rate">{t('method_loss_rate')}</option>
            <option value="roll_rate">{t('method_roll_rate')}</option>
          </select>
        </label>
        <label>
          <input type="checkbox" checked={segmented} onChange={(e) => setSegmented(e.target.checked)} />{' '}
          {t('bySegment')}
        </label>
        <label>
          <input type="checkbox" checked={cyclical} onChange={(e) => setCyclical(e.target.checked)} />{' '}
          {t('overlayFromCycle')}
        </label>
        <button type="button" disabled={busy} onClick={() => compute(false)}>
          {t('computeReserve')}
        </button>
        <button type="button" disabled={busy} onClick={() => compute(true)}>
          {t('keepDraft')}
        </button>
      </div>
      <Status message={message} />
      {shown && (
        <div className="card" data-testid="reserve-result">
          <h3>
            {t('reserve')} {formatDate(shown.asOf, locale)}:{' '}
            <span data-testid="reserve-total">{money(shown.reserveMinor)}</span>{' '}
            <span className="muted">
              ({t(`method_${shown.settings.method}` as MessageKey)}; {t('coverRelief')}{' '}
              {money(shown.coverReliefMinor)})
            </span>
          </h3>
          {shown.settings.overlayReason && (
            <p className="muted" data-testid="reserve-overlay">
              {t('overlay')} × {shown.settings.overlay}: {shown.settings.overlayReason}
            </p>
          )}
          {shownRun && (
            <p>
              {t(`status_${shownRun.status}` as MessageKey)}
              {shownRun.status === 'draft' && (
                <>
                  {' '}
                  <input
                    aria-label={t('approvalNote')}
                    placeholder={t('approvalNote')}
                    value={note}
                    onChange={(e) => setNote(e.target.value)}
                  />{' '}
                  <button type="button" onClick={approve}>
                    {t('approveRun')}
                  </button>
                </>
              )}
            </p>
          )}
          <Table
            rows={shown.buckets}
            columns={bucketColumns}
            rowKey={(b) => b.bucket}
            testId="reserve-buckets"
          />
          {shown.segments && (
            <>
              <h4>{t('bySegment')}</h4>
              <Table
                rows={shown.segments}
                rowKey={(x) => x.segment}
                testId="reserve-segments"
                columns={[
                  { header: t('segment'), cell: (x) => x.segment },
                  ...(shown.segments[0]?.matrix ?? []).map((m, i) => ({
                    header: t(`bucket_${m.bucket}` as MessageKey),
                    numeric: true,
                    cell: (x: { matrix: { lossRate: number; source: string }[] }) => {
                      const r = x.matrix[i];
                      return r
                        ? `${formatPercent(r.lossRate, locale)}${r.source === 'book' ? ' *' : ''}`
                        : '—';
                    },
                  })),
                ]}
              />
              <p className="muted">* {t('bookRate')}</p>
            </>
          )}
          {shown.specific.length > 0 && (
            <>
              <h4>{t('specificProvisions')}</h4>
              <Table rows={shown.specific} columns={customerColumns} rowKey={(c) => c.customerId} />
            </>
          )}
          {shown.movement && (
            <>
              <h4>{t('movement')}</h4>
              <dl className="facts" data-testid="reserve-movement">
                <dt>{t('opening')}</dt>
                <dd>{money(shown.movement.openingMinor)}</dd>
                <dt>{t('charge')}</dt>
                <dd>{money(shown.movement.chargeMinor)}</dd>
                <dt>{t('reserveRelease')}</dt>
                <dd>{money(shown.movement.releaseMinor)}</dd>
                <dt>{t('utilisationWriteOffs')}</dt>
                <dd>{money(shown.movement.utilisationMinor)}</dd>
                <dt>{t('closing')}</dt>
                <dd>{money(shown.movement.closingMinor)}</dd>
              </dl>
            </>
          )}
          <h4>
            {t('journal')}{' '}
            {shownRun && (
              <ExportButtons
                path={`/v1/provision-runs/${shownRun.id}/journal`}
                name={`journal-${shown.asOf}`}
              />
            )}
          </h4>
          <Table
            rows={shown.journal.map((l, i) => ({ ...l, i }))}
            rowKey={(l) => String(l.i)}
            testId="reserve-journal"
            columns={[
              { header: t('movement'), cell: (l) => t(`entry_${l.entry}` as MessageKey) },
              { header: t('account'), cell: (l) => l.account },
              { header: t('debit'), cell: (l) => (l.debitMinor ? money(l.debitMinor) : ''), numeric: true },
              {
                header: t('credit'),
                cell: (l) => (l.creditMinor ? money(l.creditMinor) : ''),
                numeric: true,
              },
            ]}
          />
          <h4>
            {t('topReserves')}{' '}
            {shownRun && (
              <ExportButtons
                path={`/v1/provision-runs/${shownRun.id}/customers`}
                name={`reserve-customers-${shown.asOf}`}
              />
            )}
          </h4>
          <Table
            rows={shown.topCustomers.slice(0, 10)}
            columns={customerColumns}
            rowKey={(c) => c.customerId}
          />
        </div>
      )}
      {(assessments.data?.items.length ?? 0) > 0 && (
        <>
          <h3>{t('specificProvisions')}</h3>
          <Table
            rows={assessments.data?.items ?? []}
            rowKey={(a) => a.id}
            testId="assessments"
            columns={[
              {
                header: t('customer'),
                cell: (a) => <a href={`#/customer/${a.customerId}`}>{a.customerName}</a>,
              },
              {
                header: t('recoveryRate'),
                cell: (a) => formatPercent(a.recoveryRate, locale),
                numeric: true,
              },
              { header: t('reason'), cell: (a) => a.reason },
              { header: t('proposedBy'), cell: (a) => a.proposedBy },
              {
                header: '',
                cell: (a) => (
                  <>
                    <button type="button" onClick={() => decide(a, 'approve')}>
                      {t('approve')}
                    </button>{' '}
                    <button type="button" onClick={() => decide(a, 'reject')}>
                      {t('reject')}
                    </button>
                  </>
                ),
              },
            ]}
          />
        </>
      )}
      <h3>{t('provisionRuns')}</h3>
      {runs.error && <p className="error">{runs.error}</p>}
      {runs.data ? (
        <Table rows={runs.data.items} columns={runColumns} rowKey={(r) => r.id} testId="provision-runs" />
      ) : (
        <p>{t('loading')}</p>
      )}
      <h3>{t('backtestTitle')}</h3>
      <p className="muted">* {t('partialYear')}</p>
      {chart ? (
        <Chart option={chart} height={320} label={t('backtestTitle')} />
      ) : (
        <p className="muted">{t('empty')}</p>
      )}
    </section>
  );
}
