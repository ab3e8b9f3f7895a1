import { useState } from 'react';
import { api } from '../api';
import { useLocale } from '../locale';
import { useApi } from './useApi';

interface View {
  id: string;
  name: string;
  query: string;
}

/**
 * A person's named filters of a list page: pick one to apply it, save the filters shown under a
 * name, delete the one picked. Shown only to people (an API key keeps no views).
 */
export function SavedViews({
  page,
  query,
  onApply,
}: {
  page: 'customers' | 'alerts' | 'worklist';
  query: string;
  onApply: (query: string) => void;
}) {
  const { t } = useLocale();
  const views = useApi<{ items: View[] }>(`/v1/me/views?page=${page}`);
  const [picked, setPicked] = useState('');
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  if (views.error) return null;
  const save = async () => {
    setError(null);
    try {
      const view = await api<View>('/v1/me/views', {
        method: 'POST',
        body: { page, name: name.trim(), query },
      });
      setName('');
      setPicked(view.id);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const remove = async () => {
    await api(`/v1/me/views/${picked}`, { method: 'DELETE' }).catch((e: Error) => setError(e.message));
    setPicked('');
  };
  return (
    <span className="saved-views" data-testid={`views-${page}`}>
      <select
        aria-label={t('savedViews')}
        value={picked}
        onChange={(e) => {
          setPicked(e.target.value);
          const view = views.data?.items.find((v) => v.id === e.target.value);
          onApply(view?.query ?? '');
        }}
      >
        <option value="">{t('savedViews')}</option>
        {views.data?.items.map((v) => (
          <option key={v.id} value={v.id}>
            {v.name}
          </option>
        ))}
      </select>{' '}
      {picked && (
        <button type="button" className="link" onClick={remove}>
          {t('deleteView')}
        </button>
      )}{' '}
      <input
        aria-label={t('viewName')}
        placeholder={t('viewName')}
        value={name}
        maxLength={80}
        onChange={(e) => setName(e.target.value)}
      />{' '}
      <button type="button" disabled={!name.trim()} onClick={save}>
        {t('saveView')}
      </button>
      {error && <span className="error"> {error}</span>}
    </span>
  );
}
