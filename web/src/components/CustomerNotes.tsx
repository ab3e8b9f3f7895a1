import { type FormEvent, useState } from 'react';
import { api } from '../api';
import { formatDateTime } from '../i18n';
import { useLocale } from '../locale';
import { useCan } from '../me';
import { useAction } from './ActionForm';
import { Status } from './Status';
import { usePaged } from './usePaged';

interface Note {
  id: string;
  body: string;
  createdByName: string;
  createdAt: string;
}

/** Notes on the account (H1): what was learnt or agreed, newest first, with who wrote it and when. */
export function CustomerNotes({ customerId }: { customerId: string }) {
  const { t, locale } = useLocale();
  const can = useCan();
  const { page, pager } = usePaged<Note>(`/v1/customers/${customerId}/notes`, {}, 10);
  const [body, setBody] = useState('');
  const { message, busy, run } = useAction();
  const add = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      await api(`/v1/customers/${customerId}/notes`, { method: 'POST', body: { body } });
      setBody('');
      return t('noteAdded');
    });
  };
  return (
    <div className="card wide" data-testid="customer-notes">
      <h3>{t('notes')}</h3>
      {can('contacts.write') && (
        <form className="form" onSubmit={add}>
          <textarea
            required
            aria-label={t('newNote')}
            placeholder={t('newNote')}
            maxLength={4000}
            value={body}
            onChange={(e) => setBody(e.target.value)}
          />
          <div className="actions">
            <button type="submit" className="primary" disabled={busy || !body.trim()}>
              {t('addNote')}
            </button>
          </div>
          <Status message={message} />
        </form>
      )}
      {page.data && page.data.items.length === 0 && <p className="muted">{t('noNotes')}</p>}
      <ul className="notes">
        {page.data?.items.map((n) => (
          <li key={n.id}>
            <p>{n.body}</p>
            <p className="muted">
              {n.createdByName} · {formatDateTime(n.createdAt, locale)}
            </p>
          </li>
        ))}
      </ul>
      {pager}
    </div>
  );
}
