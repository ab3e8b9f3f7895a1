import { useState } from 'react';
import { api } from '../api';
import { wordFor } from '../codes';
import { ExportButtons } from '../components/ExportButtons';
import { Reasons } from '../components/Reasons';
import { Status } from '../components/Status';
import { usePaged } from '../components/usePaged';
import { formatMoney, formatNumber, type MessageKey } from '../i18n';
import { useLocale } from '../locale';

interface QueueItem {
  id: string;
  externalId: string;
  customerId: string;
  customerName: string;
  amountMinor: number;
  currency: string;
  requestedBy: string | null;
  requestedByName: string | null;
  ageHours: number;
  overdueSla: boolean;
  slaDueAt: string | null;
  decision: { outcome: string; reasons: { code: string; outcome: string; message: string }[] } | null;
}

/** The orders the queue can be read in: by when placed or by amount, either way. */
const QUEUE_ORDERS = ['createdAt', '-createdAt', '-amount', 'amount'] as const;

/** Held and escalated orders, oldest first unless chosen otherwise: release or reject with a note; works on a phone. */
export function Queue() {
  const { t } = useLocale();
  const [sort, setSort] = useState<(typeof QUEUE_ORDERS)[number]>('createdAt');
  const [lateOnly, setLateOnly] = useState(false);
  const params = { sort, ...(lateOnly ? { overdueSla: 'true' } : {}) };
  const { page: queue, pager } = usePaged<QueueItem>('/v1/orders/queue', params, 50);
  if (queue.error) return <p className="error">{queue.error}</p>;
  if (!queue.data) return <p>{t('loading')}</p>;
  return (
    <section data-testid="queue">
      <h2>
        {t('navQueue')}{' '}
        <ExportButtons path={`/v1/orders/queue?${new URLSearchParams(params)}`} name="queue" />
      </h2>
      <div className="filters">
        <select
          aria-label={t('queueOrder')}
          value={sort}
          onChange={(e) => setSort(e.target.value as typeof sort)}
        >
          {QUEUE_ORDERS.map((order) => (
            <option key={order} value={order}>
              {t(`queueOrder_${order.replace('-', 'desc_')}` as MessageKey)}
            </option>
          ))}
        </select>{' '}
        <label className="check">
          <input type="checkbox" checked={lateOnly} onChange={(e) => setLateOnly(e.target.checked)} />{' '}
          {t('pastDeadlineOnly')}
        </label>
      </div>
      {queue.data.items.length === 0 && <p className="muted">{t('empty')}</p>}
      <div className="queue">
        {queue.data.items.map((order) => (
          <QueueCard key={order.id} order={order} />
        ))}
      </div>
      {pager}
    </section>
  );
}

function QueueCard({ order }: { order: QueueItem }) {
  const { t, locale } = useLocale();
  const [note, setNote] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const decide = async (action: 'release' | 'reject') => {
    if (!note.trim()) {
      setMessage(t('noteRequired'));
      return;
    }
    try {
      await api(`/v1/orders/${order.id}/${action}`, { method: 'POST', body: { note } });
      setMessage(action === 'release' ? t('released') : t('rejected'));
    } catch (e) {
      setMessage(`${t('error')}: ${(e as Error).message}`);
    }
  };
  return (
    <article className="card queue-item" data-testid={`queue-${order.externalId}`}>
      <header>
        <strong>{order.externalId}</strong>
        <span className={`badge outcome-${order.decision?.outcome}`}>
          {wordFor(order.decision?.outcome, locale)}
        </span>
      </header>
      <p className="amount">{formatMoney(order.amountMinor, order.currency, locale)}</p>
      <p className="muted">
        <a href={`#/customer/${order.customerId}`}>{order.customerName}</a> · {t('age')}{' '}
        {formatNumber(order.ageHours, locale)} {t('hours')}{' '}
        {order.overdueSla && <span className="bad">· {t('overdueSla')}</span>} · {t('requestedBy')}{' '}
        {order.requestedByName ?? '—'}
      </p>
      {order.decision && <Reasons reasons={order.decision.reasons} />}
      <input
        aria-label={t('note')}
        placeholder={t('note')}
        value={note}
        onChange={(e) => setNote(e.target.value)}
      />
      <div className="actions">
        <button type="button" className="primary" onClick={() => decide('release')}>
          {t('release')}
        </button>
        <button type="button" onClick={() => decide('reject')}>
          {t('reject')}
        </button>
      </div>
      <Status message={message} />
    </article>
  );
}
