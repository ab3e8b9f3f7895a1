import { useState } from 'react';
import { api } from '../api';
import { wordFor } from '../codes';
import { ExportButtons } from '../components/ExportButtons';
import { Reasons } from '../components/Reasons';
import { Status } from '../components/Status';
import { useApi } from '../components/useApi';
import { formatMoney, formatNumber } from '../i18n';
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

/** Held and escalated orders, oldest first: release or reject with a note; works on a phone. */
export function Queue() {
  const { t, locale } = useLocale();
  const queue = useApi<{ items: QueueItem[] }>(`queue:${locale}`, () => api('/v1/orders/queue', { locale }));
  if (queue.error) return <p className="error">{queue.error}</p>;
  if (!queue.data) return <p>{t('loading')}</p>;
  return (
    <section data-testid="queue">
      <h2>
        {t('navQueue')} <span className="muted">({queue.data.items.length})</span>{' '}
        <ExportButtons path="/v1/orders/queue" name="queue" />
      </h2>
      {queue.data.items.length === 0 && <p className="muted">{t('empty')}</p>}
      <div className="queue">
        {queue.data.items.map((order) => (
          <QueueCard key={order.id} order={order} />
        ))}
      </div>
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
