import { useMemo } from 'react';
import { api } from '../api';
import { wordFor } from '../codes';
import { useBlockActions } from '../components/BlockActions';
import { Chart, type ChartOption } from '../components/Chart';
import { Collateral } from '../components/Collateral';
import { type DecidedOrder, useContest } from '../components/ContestAction';
import { CustomerActions } from '../components/CustomerActions';
import { CustomerNotes } from '../components/CustomerNotes';
import { DataFetches } from '../components/DataFetches';
import { useDisputeActions } from '../components/DisputeActions';
import { EarlyWarning } from '../components/EarlyWarning';
import { FinancialStatements } from '../components/FinancialStatements';
import { InsuranceCover } from '../components/InsuranceCover';
import { PaymentForecast } from '../components/PaymentForecast';
import { PdfButton } from '../components/PdfButton';
import { CustomerReviews } from '../components/Reviews';
import { ScoreActions } from '../components/ScoreActions';
import { Status } from '../components/Status';
import { Table } from '../components/Table';
import { useApi } from '../components/useApi';
import { WatchButton } from '../components/Watchlist';
import { formatDate, formatMoney, formatNumber, formatPercent } from '../i18n';
import { useLocale } from '../locale';

interface Customer {
  id: string;
  externalId: string;
  name: string;
  country: string;
  currency: string;
  segment: string;
  groupId: string | null;
  salesOwner: string | null;
  registrationId: string | null;
}
interface Exposure {
  currency: string;
  limitMinor: number;
  exposureMinor: number;
  availableMinor: number;
  utilisation: number | null;
  limit: {
    approvedMinor: number;
    releasedMinor: number;
    releasedPercent: number;
    temporaryMinor: number;
    totalMinor: number;
  };
  exposure: { openReceivablesMinor: number; openOrdersMinor: number; shippedNotInvoicedMinor: number };
  overdueMinor: number;
  riskClass: string;
  ratingGrade: number | null;
  ratingSource: 'manual' | 'model' | 'override';
  blacklisted: boolean;
  stopSupply: boolean;
  security: {
    insuredLimitMinor: number | null;
    insuredExposureMinor: number;
    uninsuredExposureMinor: number;
    guaranteeMinor: number | null;
  };
  group: { groupId: string; limitMinor: number; exposureMinor: number; availableMinor: number } | null;
}
interface Behaviour {
  features: {
    invoices: number;
    lateShare: number | null;
    meanDaysLate: number | null;
    daysLateTrend: number | null;
  };
}
interface Invoice {
  id: string;
  invoiceNumber: string;
  issueDate: string;
  dueDate: string;
  amountMinor: number;
  openMinor: number;
  currency: string;
  settledOn: string | null;
}
interface Order extends DecidedOrder {
  status: string;
}
interface Limits {
  requests: {
    id: string;
    kind: string;
    amountMinor: number;
    previousMinor: number;
    currency: string;
    status: string;
    reason: string;
    createdAt: string;
  }[];
}
interface Promise_ {
  id: string;
  amountMinor: number;
  currency: string;
  promisedOn: string;
  status: string;
}
interface Dispute {
  id: string;
  amountMinor: number;
  currency: string;
  reason: string;
  status: string;
}
interface Block {
  id: string;
  kind: string;
  reasonCode: string;
  status: string;
  unmetConditions: string[];
}
interface Score {
  score: number;
  pd: number;
  grade: number;
  scoredOn: string;
  reasons: { feature: string; pointsLost: number; value: number | string | null; message: string }[];
}
interface Plan {
  id: string;
  totalMinor: number;
  currency: string;
  instalments: unknown[];
  status: string;
  paidMinor: number | null;
  startsOn: string;
}
interface Letter {
  id: string;
  runOn: string;
  channel: string;
  recipient: string | null;
  subject: string;
  body: string;
}
interface AuditEvent {
  seq: number;
  occurredAt: string;
  actorName: string;
  action: string;
}

/** Everything about one customer on one screen. */
export function Customer({ id, today }: { id: string; today: string }) {
  const { t, locale } = useLocale();
  const customer = useApi<Customer>(`/v1/customers/${id}`);
  const exposure = useApi<Exposure>(`/v1/customers/${id}/exposure`);
  const behaviour = useApi<Behaviour>(`/v1/customers/${id}/behaviour`);
  const invoices = useApi<{ items: Invoice[] }>(`/v1/invoices?customerId=${id}&limit=500`);
  const orders = useApi<{ items: Order[] }>(`orders:${id}`, () =>
    api<{ items: Order[] }>(`/v1/orders?customerId=${id}&limit=500`).then((page) => ({
      items: page.items.slice(-20).reverse(),
    })),
  );
  const limits = useApi<Limits>(`/v1/customers/${id}/limits`);
  const promises = useApi<{ items: Promise_[] }>(`/v1/promises?customerId=${id}&limit=500`);
  const disputes = useApi<{ items: Dispute[] }>(`/v1/disputes?customerId=${id}&limit=500`);
  const blocks = useApi<{ items: Block[] }>(`/v1/customers/${id}/blocks`);
  const plans = useApi<{ items: Plan[] }>(`/v1/payment-plans?customerId=${id}&limit=500`);
  const audit = useApi<{ items: AuditEvent[] }>(`/v1/audit-events?entityId=${id}`);
  const letters = useApi<{ items: Letter[] }>(`/v1/dunning/letters?customerId=${id}`);
  const blocking = useBlockActions(id);
  const disputing = useDisputeActions(today);
  const contesting = useContest();
  const score = useApi<Score>(`/v1/customers/${id}/score`);

  const behaviourOption = useMemo<ChartOption | null>(() => {
    const settled = (invoices.data?.items ?? []).filter((i) => i.settledOn);
    if (settled.length === 0) return null;
    const days = (i: Invoice) =>
      Math.round((Date.parse(i.settledOn as string) - Date.parse(i.dueDate)) / 86_400_000);
    return {
      tooltip: { trigger: 'axis' },
      grid: { left: 40, right: 10, top: 20, bottom: 30 },
      xAxis: { type: 'category', data: settled.map((i) => i.dueDate) },
      yAxis: { type: 'value', name: t('meanDaysLate') },
      series: [
        {
          type: 'bar',
          data: settled.map((i) => ({
            value: days(i),
            itemStyle: { color: days(i) > 0 ? '#e8684a' : '#5ad8a6' },
          })),
        },
      ],
    };
  }, [invoices.data, t]);

  if (customer.error) return <p className="error">{customer.error}</p>;
  const c = customer.data;
  const e = exposure.data;
  if (!c || !e) return <p>{t('loading')}</p>;
  const money = (minor: number, currency = e.currency) => formatMoney(minor, currency, locale);
  const openInvoices = (invoices.data?.items ?? []).filter((i) => i.openMinor > 0);
  return (
    <div data-testid="customer-360">
      <p>
        <a href="#/customers">← {t('back')}</a>
      </p>
      <h2 data-testid="customer-name">{c.name}</h2>
      <WatchButton customerId={id} />{' '}
      <PdfButton
        path={`/v1/customers/${id}/credit-report`}
        fileName={`credit-report-${c.externalId}.pdf`}
        label={t('creditReportPdf')}
        testId="credit-report"
      />{' '}
      <PdfButton
        path={`/v1/customers/${id}/statement-of-account`}
        fileName={`statement-${c.externalId}.pdf`}
        label={t('statementPdf')}
        testId="statement-of-account"
      />
      <CustomerActions customerId={id} currency={c.currency} today={today} />
      <section className="grid">
        <div className="card">
          <h3>{t('profile')}</h3>
          <dl className="facts">
            <dt>ID</dt>
            <dd>{c.externalId}</dd>
            <dt>{t('country')}</dt>
            <dd>{c.country}</dd>
            <dt>{t('segment')}</dt>
            <dd>{wordFor(c.segment, locale)}</dd>
            {c.registrationId && (
              <>
                <dt>{t('registrationId')}</dt>
                <dd data-testid="registration-id">{c.registrationId}</dd>
              </>
            )}
            <dt>{t('salesOwner')}</dt>
            <dd>{c.salesOwner ?? '—'}</dd>
            <dt>{t('riskClass')}</dt>
            <dd>{e.riskClass}</dd>
            <dt>{t('rating')}</dt>
            <dd data-testid="rating">
              {e.ratingGrade ?? '—'}
              {e.ratingSource === 'override' && (
                <span className="badge outcome-hold">
                  {t('ratingOverride')} {score.data?.grade ?? '—'}
                </span>
              )}
            </dd>
            <dt>{t('flags')}</dt>
            <dd>
              {[e.blacklisted && t('blacklisted'), e.stopSupply && t('stopSupply')]
                .filter(Boolean)
                .join(', ') || t('none')}
            </dd>
            {e.group && (
              <>
                <dt>{t('group')}</dt>
                <dd>
                  {money(e.group.exposureMinor)} / {money(e.group.limitMinor)}
                </dd>
              </>
            )}
          </dl>
        </div>
        <div className="card">
          <h3>{t('limitParts')}</h3>
          <dl className="facts" data-testid="limit-parts">
            <dt>{t('permanent')}</dt>
            <dd>{money(e.limit.approvedMinor)}</dd>
            <dt>{t('releasedTiers')}</dt>
            <dd>
              {money(e.limit.releasedMinor)} ({e.limit.releasedPercent}%)
            </dd>
            <dt>{t('temporary')}</dt>
            <dd>{money(e.limit.temporaryMinor)}</dd>
            <dt>{t('limit')}</dt>
            <dd>
              <strong>{money(e.limitMinor)}</strong>
            </dd>
            <dt>{t('insured')}</dt>
            <dd>{e.security.insuredLimitMinor === null ? '—' : money(e.security.insuredLimitMinor)}</dd>
          </dl>
        </div>
        <div className="card">
          <h3>{t('exposureParts')}</h3>
          <dl className="facts">
            <dt>{t('openReceivables')}</dt>
            <dd>{money(e.exposure.openReceivablesMinor)}</dd>
            <dt>{t('openOrders')}</dt>
            <dd>{money(e.exposure.openOrdersMinor)}</dd>
            <dt>{t('shippedNotInvoiced')}</dt>
            <dd>{money(e.exposure.shippedNotInvoicedMinor)}</dd>
            <dt>{t('exposure')}</dt>
            <dd>
              <strong data-testid="exposure">{money(e.exposureMinor)}</strong> (
              {formatPercent(e.utilisation, locale)})
            </dd>
            <dt>{t('available')}</dt>
            <dd>{money(e.availableMinor)}</dd>
            <dt>{t('overdue')}</dt>
            <dd className={e.overdueMinor > 0 ? 'bad' : ''}>{money(e.overdueMinor)}</dd>
          </dl>
        </div>
        <div className="card" data-testid="score">
          <h3>{t('scoreTitle')}</h3>
          {score.data ? (
            <>
              <dl className="facts">
                <dt>{t('scoreTitle')}</dt>
                <dd>
                  <strong>{score.data.score}</strong>
                </dd>
                <dt>{t('latePd')}</dt>
                <dd>{formatPercent(score.data.pd, locale)}</dd>
                <dt>{t('grade')}</dt>
                <dd>{score.data.grade}</dd>
              </dl>
              <h3>{t('scoreReasons')}</h3>
              <ul className="reasons">
                {score.data.reasons.map((r) => (
                  <li key={r.feature}>
                    {r.message}:{' '}
                    {typeof r.value === 'number' ? formatNumber(r.value, locale, 2) : (r.value ?? '—')} (−
                    {formatNumber(r.pointsLost, locale)})
                  </li>
                ))}
              </ul>
            </>
          ) : (
            <p className="muted">{score.error ? t('noScore') : t('loading')}</p>
          )}
          <ScoreActions customerId={id} />
        </div>
        {e.security.insuredLimitMinor !== null && (
          <InsuranceCover
            customerId={id}
            currency={e.currency}
            insuredMinor={e.security.insuredExposureMinor}
            uninsuredMinor={e.security.uninsuredExposureMinor}
          />
        )}
        <Collateral customerId={id} currency={e.currency} today={today} />
        <EarlyWarning customerId={id} />
        <PaymentForecast customerId={id} />
        <FinancialStatements customerId={id} />
        <DataFetches customerId={id} />
        <CustomerReviews customerId={id} />
        <CustomerNotes customerId={id} />
        <div className="card wide">
          <h3>{t('behaviour')}</h3>
          {behaviour.data && (
            <p className="muted">
              {t('lateShare')} {formatPercent(behaviour.data.features.lateShare, locale)} ·{' '}
              {t('meanDaysLate')} {formatNumber(behaviour.data.features.meanDaysLate, locale)} · {t('trend')}{' '}
              {formatNumber(behaviour.data.features.daysLateTrend, locale)}
            </p>
          )}
          {behaviourOption && <Chart option={behaviourOption} height={200} label={t('behaviour')} />}
        </div>
      </section>
      <section className="card">
        <h3>
          {t('invoices')} ({t('open')})
        </h3>
        {disputing.dialog}
        <Status message={disputing.message} />
        <Table
          testId="open-invoices"
          rows={openInvoices}
          rowKey={(i) => i.id}
          columns={[
            { header: t('invoice'), cell: (i) => i.invoiceNumber },
            { header: t('issued'), cell: (i) => formatDate(i.issueDate, locale) },
            { header: t('due'), cell: (i) => formatDate(i.dueDate, locale) },
            { header: t('amount'), numeric: true, cell: (i) => money(i.amountMinor, i.currency) },
            { header: t('open'), numeric: true, cell: (i) => money(i.openMinor, i.currency) },
            { header: t('actions'), cell: disputing.openButton },
          ]}
        />
      </section>
      <section className="card">
        <h3>{t('orders')}</h3>
        {contesting.dialog}
        <Status message={contesting.message} />
        <Table
          rows={orders.data?.items ?? []}
          rowKey={(o) => o.id}
          columns={[
            { header: t('order'), cell: (o) => o.externalId },
            { header: t('date'), cell: (o) => formatDate(o.orderedOn, locale) },
            { header: t('amount'), numeric: true, cell: (o) => money(o.amountMinor, o.currency) },
            { header: t('status'), cell: (o) => wordFor(o.status, locale) },
            { header: t('outcome'), cell: (o) => wordFor(o.decision?.outcome, locale) },
            { header: t('actions'), cell: contesting.button },
          ]}
        />
      </section>
      <section className="grid">
        <div className="card">
          <h3>{t('limitsHistory')}</h3>
          <Table
            rows={limits.data?.requests ?? []}
            rowKey={(r) => r.id}
            columns={[
              { header: t('date'), cell: (r) => formatDate(r.createdAt, locale) },
              {
                header: t('to'),
                numeric: true,
                cell: (r) => `${money(r.amountMinor, r.currency)} (${wordFor(r.kind, locale)})`,
              },
              { header: t('status'), cell: (r) => wordFor(r.status, locale) },
              { header: t('reason'), cell: (r) => r.reason },
            ]}
          />
        </div>
        <div className="card">
          <h3>{t('promises')}</h3>
          <Table
            rows={promises.data?.items ?? []}
            rowKey={(p) => p.id}
            columns={[
              { header: t('date'), cell: (p) => formatDate(p.promisedOn, locale) },
              { header: t('amount'), numeric: true, cell: (p) => money(p.amountMinor, p.currency) },
              { header: t('status'), cell: (p) => wordFor(p.status, locale) },
            ]}
          />
          <h3>{t('disputes')}</h3>
          <Table
            testId="customer-disputes"
            rows={disputes.data?.items ?? []}
            rowKey={(d) => d.id}
            columns={[
              { header: t('amount'), numeric: true, cell: (d) => money(d.amountMinor, d.currency) },
              { header: t('reason'), cell: (d) => wordFor(d.reason, locale) },
              { header: t('status'), cell: (d) => wordFor(d.status, locale) },
              { header: t('actions'), cell: disputing.resolveButton },
            ]}
          />
          <h3>{t('plans')}</h3>
          <Table
            rows={plans.data?.items ?? []}
            rowKey={(p) => p.id}
            columns={[
              { header: t('date'), cell: (p) => formatDate(p.startsOn, locale) },
              { header: t('amount'), numeric: true, cell: (p) => money(p.totalMinor, p.currency) },
              { header: t('instalments'), numeric: true, cell: (p) => p.instalments.length },
              {
                header: t('paid'),
                numeric: true,
                cell: (p) => (p.paidMinor === null ? '—' : money(p.paidMinor, p.currency)),
              },
              { header: t('status'), cell: (p) => wordFor(p.status, locale) },
            ]}
          />
          <h3>{t('dunningHistory')}</h3>
          <Table
            testId="dunning-history"
            rows={letters.data?.items ?? []}
            rowKey={(l) => l.id}
            columns={[
              { header: t('date'), cell: (l) => formatDate(l.runOn, locale) },
              { header: t('channel'), cell: (l) => wordFor(l.channel, locale) },
              {
                header: t('subject'),
                cell: (l) => (
                  <details>
                    <summary>{l.subject}</summary>
                    <pre className="letter">{l.body}</pre>
                  </details>
                ),
              },
              { header: t('recipient'), cell: (l) => l.recipient ?? '—' },
              {
                header: 'PDF',
                cell: (l) => (
                  <PdfButton
                    path={`/v1/dunning/letters/${l.id}/pdf`}
                    fileName={`dunning-${c.externalId}-${l.runOn}.pdf`}
                    label={t('printLetter')}
                  />
                ),
              },
            ]}
          />
          <h3>
            {t('blocks')} {blocking.blockButtons}
          </h3>
          {blocking.dialog}
          <Status message={blocking.message} />
          <Table
            testId="customer-blocks"
            rows={blocks.data?.items ?? []}
            rowKey={(b) => b.id}
            columns={[
              {
                header: t('status'),
                cell: (b) => `${wordFor(b.kind, locale)} · ${wordFor(b.status, locale)}`,
              },
              { header: t('reason'), cell: (b) => wordFor(b.reasonCode, locale) },
              { header: '', cell: (b) => b.unmetConditions.join('; ') },
              { header: t('actions'), cell: blocking.liftButton },
            ]}
          />
        </div>
        {audit.data && (
          <div className="card">
            <h3>{t('auditTitle')}</h3>
            <Table
              rows={audit.data.items.slice(0, 30)}
              rowKey={(a) => String(a.seq)}
              columns={[
                { header: t('date'), cell: (a) => formatDate(a.occurredAt, locale) },
                { header: t('actor'), cell: (a) => a.actorName },
                { header: t('action'), cell: (a) => a.action },
              ]}
            />
          </div>
        )}
      </section>
    </div>
  );
}
