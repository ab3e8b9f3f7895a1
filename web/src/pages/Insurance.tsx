import { useState } from 'react';
import { api, download } from '../api';
import { BuyerLimitForm } from '../components/BuyerLimitForm';
import { Status } from '../components/Status';
import { type Column, Table } from '../components/Table';
import { useApi } from '../components/useApi';
import { useSelection } from '../components/useSelection';
import { formatDate, formatMoney, formatPercent, type MessageKey } from '../i18n';
import { useLocale } from '../locale';

interface Policy {
  id: string;
  insurer: string;
  policyNumber: string;
  currency: string;
  startsOn: string;
  endsOn: string;
  indemnityPercent: number;
  discretionaryLimitMinor: number;
  notificationDays: number;
  claimFilingDays: number;
}
export interface Deadline {
  invoiceId: string;
  invoiceNumber: string;
  customerId: string;
  customerName: string;
  currency: string;
  openMinor: number;
  dueDate: string;
  daysPastDue: number;
  notifyBy: string;
  claimBy: string;
  daysLeft: number;
  state: 'notify' | 'notified' | 'cover_lost';
}
interface BuyerLimit {
  id: string;
  customerId: string;
  customerName: string;
  status: string;
  requestedMinor: number | null;
  approvedMinor: number | null;
  effectiveOn: string;
}
interface Claim {
  id: string;
  customerId: string;
  customerName?: string;
  filedOn: string;
  claimedMinor: number;
  status: string;
  acceptedMinor: number | null;
  paidMinor: number | null;
  paidOn: string | null;
}

/** The deadline columns, shared with the customer 360. */
export function useDeadlineColumns(): Column<Deadline>[] {
  const { t, locale } = useLocale();
  return [
    { header: t('invoice'), cell: (d) => d.invoiceNumber },
    { header: t('customer'), cell: (d) => <a href={`#/customer/${d.customerId}`}>{d.customerName}</a> },
    { header: t('open'), cell: (d) => formatMoney(d.openMinor, d.currency, locale), numeric: true },
    { header: t('due'), cell: (d) => formatDate(d.dueDate, locale) },
    { header: t('notifyBy'), cell: (d) => formatDate(d.notifyBy, locale) },
    {
      header: t('daysLeft'),
      cell: (d) => (
        <span className={d.daysLeft < 0 ? 'bad' : d.daysLeft <= 14 ? 'warn' : ''}>{d.daysLeft}</span>
      ),
      numeric: true,
    },
    { header: t('claimBy'), cell: (d) => formatDate(d.claimBy, locale) },
    {
      header: t('state'),
      cell: (d) => (
        <span className={`badge deadline-${d.state}`}>{t(`deadline_${d.state}` as MessageKey)}</span>
      ),
    },
  ];
}

/** Credit insurance (F2): the policy, the deadline tracker with one-action notification, buyer limits, claims. */
export function Insurance({ today }: { today: string }) {
  const { t, locale } = useLocale();
  const policies = useApi<{ items: Policy[] }>('/v1/insurance-policies');
  const deadlines = useApi<{ items: Deadline[] }>('/v1/insurance/deadlines');
  const claims = useApi<{ items: Claim[] }>('/v1/insurance-claims');
  const policy = policies.data?.items[0];
  const limits = useApi<{ items: BuyerLimit[] }>(
    policy ? `/v1/insurance-policies/${policy.id}/buyer-limits` : null,
  );
  const { selected, toggle, clear } = useSelection();
  const [message, setMessage] = useState<string | null>(null);
  const [lastNotified, setLastNotified] = useState<string | null>(null);
  const deadlineColumns = useDeadlineColumns();

  const notify = async () => {
    if (selected.size === 0) {
      setMessage(t('selectSome'));
      return;
    }
    try {
      const done = await api<{ notified: number; items: { lateNotice: boolean; notifiedOn: string }[] }>(
        '/v1/insurance/notifications',
        {
          method: 'POST',
          body: { invoiceIds: [...selected] },
        },
      );
      const late = done.items.filter((i) => i.lateNotice).length;
      setLastNotified(done.items[0]?.notifiedOn ?? null);
      setMessage(`${t('notifiedCount')}: ${done.notified}${late ? ` (${late} ${t('lateNotices')})` : ''}`);
      clear();
    } catch (e) {
      setMessage(`${t('error')}: ${(e as Error).message}`);
    }
  };
  const moveClaim = async (c: Claim, action: 'accept' | 'reject' | 'pay', body: object) => {
    try {
      await api(`/v1/insurance-claims/${c.id}/${action}`, { method: 'POST', body });
      setMessage(
        `${t(`claim_${action === 'pay' ? 'paid' : `${action}ed`}` as MessageKey)}: ${c.customerName ?? c.customerId}`,
      );
    } catch (e) {
      setMessage(`${t('error')}: ${(e as Error).message}`);
    }
  };
  const limitColumns: Column<BuyerLimit>[] = [
    { header: t('customer'), cell: (l) => <a href={`#/customer/${l.customerId}`}>{l.customerName}</a> },
    { header: t('state'), cell: (l) => t(`limit_${l.status}` as MessageKey) },
    {
      header: t('requested'),
      cell: (l) =>
        l.requestedMinor === null ? '—' : formatMoney(l.requestedMinor, policy?.currency ?? 'CNY', locale),
      numeric: true,
    },
    {
      header: t('approvedAmount'),
      cell: (l) =>
        l.approvedMinor === null ? '—' : formatMoney(l.approvedMinor, policy?.currency ?? 'CNY', locale),
      numeric: true,
    },
    { header: t('effectiveOn'), cell: (l) => formatDate(l.effectiveOn, locale) },
  ];
  const claimColumns: Column<Claim>[] = [
    {
      header: t('customer'),
      cell: (c) => <a href={`#/customer/${c.customerId}`}>{c.customerName ?? c.customerId}</a>,
    },
    { header: t('filedOn'), cell: (c) => formatDate(c.filedOn, locale) },
    {
      header: t('claimed'),
      cell: (c) => formatMoney(c.claimedMinor, policy?.currency ?? 'CNY', locale),
      numeric: true,
    },
    { header: t('state'), cell: (c) => t(`claim_${c.status}` as MessageKey) },
    {
      header: '',
      cell: (c) =>
        c.status === 'filed' ? (
          <>
            <button
              type="button"
              className="link"
              onClick={() => moveClaim(c, 'accept', { acceptedMinor: c.claimedMinor })}
            >
              {t('acceptClaim')}
            </button>{' '}
            <button
              type="button"
              className="link"
              onClick={() => moveClaim(c, 'reject', { note: t('rejectedByInsurer') })}
            >
              {t('reject')}
            </button>
          </>
        ) : c.status === 'accepted' ? (
          <button
            type="button"
            className="link"
            onClick={() =>
              moveClaim(c, 'pay', { paidMinor: c.acceptedMinor ?? c.claimedMinor, paidOn: today })
            }
          >
            {t('markPaid')}
          </button>
        ) : null,
    },
    {
      header: t('paid'),
      cell: (c) =>
        c.paidMinor === null
          ? '—'
          : `${formatMoney(c.paidMinor, policy?.currency ?? 'CNY', locale)} · ${formatDate(c.paidOn ?? '', locale)}`,
      numeric: true,
    },
  ];

  return (
    <section data-testid="insurance">
      <h2>{t('insuranceTitle')}</h2>
      {policies.error && <p className="error">{policies.error}</p>}
      {policy ? (
        <dl className="facts" data-testid="insurance-policy">
          <dt>{t('policy')}</dt>
          <dd>
            {policy.insurer} · {policy.policyNumber}
          </dd>
          <dt>{t('period')}</dt>
          <dd>
            {formatDate(policy.startsOn, locale)} – {formatDate(policy.endsOn, locale)}
          </dd>
          <dt>{t('indemnity')}</dt>
          <dd>{formatPercent(policy.indemnityPercent / 100, locale)}</dd>
          <dt>{t('discretionaryLimit')}</dt>
          <dd>{formatMoney(policy.discretionaryLimitMinor, policy.currency, locale)}</dd>
          <dt>{t('notificationDays')}</dt>
          <dd>{policy.notificationDays}</dd>
          <dt>{t('claimFilingDays')}</dt>
          <dd>{policy.claimFilingDays}</dd>
        </dl>
      ) : (
        policies.data && <p className="muted">{t('noPolicy')}</p>
      )}
      <h3>
        {t('deadlineTracker')} <span className="muted">({deadlines.data?.items.length ?? '…'})</span>
      </h3>
      <div className="filters">
        <button type="button" disabled={selected.size === 0} onClick={notify}>
          {t('notifyInsurer')} ({selected.size})
        </button>
        <button
          type="button"
          className="link"
          onClick={() =>
            download('/v1/insurance/notifications?format=xlsx', 'insurer-notifications.xlsx').catch(
              (e: Error) => setMessage(e.message),
            )
          }
        >
          {t('notificationFile')} (XLSX)
        </button>
        {lastNotified && (
          <button
            type="button"
            className="link"
            onClick={() =>
              download(
                `/v1/insurance/notifications/letter?notifiedOn=${lastNotified}`,
                `insurer-notification-${lastNotified}.pdf`,
              ).catch((e: Error) => setMessage(e.message))
            }
          >
            {t('notificationLetter')} (PDF)
          </button>
        )}
      </div>
      <Status message={message} />
      {deadlines.data ? (
        <Table
          rows={deadlines.data.items}
          rowKey={(d) => d.invoiceId}
          testId="deadline-table"
          columns={[
            {
              header: '',
              cell: (d) =>
                d.state === 'notified' ? null : (
                  <input
                    type="checkbox"
                    aria-label={`${t('select')} ${d.invoiceNumber}`}
                    checked={selected.has(d.invoiceId)}
                    onChange={() => toggle(d.invoiceId)}
                  />
                ),
            },
            ...deadlineColumns,
          ]}
        />
      ) : (
        <p>{t('loading')}</p>
      )}
      <h3>{t('buyerLimits')}</h3>
      {policy && <BuyerLimitForm policyId={policy.id} currency={policy.currency} today={today} />}
      {limits.data ? (
        <Table rows={limits.data.items} columns={limitColumns} rowKey={(l) => l.id} testId="buyer-limits" />
      ) : null}
      <h3>{t('claims')}</h3>
      {claims.data ? (
        <Table rows={claims.data.items} columns={claimColumns} rowKey={(c) => c.id} testId="claims" />
      ) : null}
    </section>
  );
}
