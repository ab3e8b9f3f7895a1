import { useEffect, useState } from 'react';
import { api } from '../api';
import { useLocale } from '../locale';
import { DigestSettings } from './DigestSettings';
import { useApi } from './useApi';

interface Notifications {
  unread: number;
  items: {
    kind: 'approvals' | 'held_orders' | 'alerts' | 'my_orders_decided' | 'broken_promises';
    count: number;
    unread: number;
    link: string;
  }[];
}

/** The header's bell (I4): what waits for me, how much of it is new, a link to each; looked at again every minute. */
export function NotificationBell() {
  const { t } = useLocale();
  const notifications = useApi<Notifications>('/v1/notifications');
  const [open, setOpen] = useState(false);
  const { reload } = notifications;
  useEffect(() => {
    const timer = setInterval(reload, 60_000);
    return () => clearInterval(timer);
  }, [reload]);
  const data = notifications.data;
  const markSeen = () => api('/v1/notifications/seen', { method: 'POST' }).then(reload);
  return (
    <span className="bell">
      <button
        type="button"
        className="link"
        data-testid="bell"
        aria-label={t('notifications')}
        onClick={() => setOpen(!open)}
      >
        {/* Drawn, not an emoji: a machine without an emoji font showed an empty box. */}
        <svg width="16" height="16" viewBox="0 0 24 24" aria-hidden="true" fill="currentColor">
          <path d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1Z" />
        </svg>
        {data && data.unread > 0 && <span className="badge count">{data.unread}</span>}
      </button>
      {open && data && (
        <div className="menu" data-testid="notifications">
          {data.items.length === 0 ? (
            <p className="muted">{t('nothingWaits')}</p>
          ) : (
            <ul>
              {data.items.map((n) => (
                <li key={n.kind}>
                  <a href={n.link} onClick={() => setOpen(false)}>
                    {t(`notify_${n.kind}`)}: {n.count}
                    {n.unread > 0 && ` (${t('unreadCount', { count: n.unread })})`}
                  </a>
                </li>
              ))}
            </ul>
          )}
          <button type="button" className="link" onClick={markSeen}>
            {t('markSeen')}
          </button>
          <DigestSettings />
        </div>
      )}
    </span>
  );
}
