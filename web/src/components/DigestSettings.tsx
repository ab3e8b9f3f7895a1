import { useEffect, useState } from 'react';
import { api } from '../api';
import { useLocale } from '../locale';
import { Status } from './Status';
import { useApi } from './useApi';

interface Settings {
  email: string | null;
  language: 'en' | 'zh-CN';
  dailyDigest: boolean;
  immediate: boolean;
}

/** Under the bell: the e-mail a person is told at, in which language, whether a morning digest comes, and whether an e-mail comes as things arrive. */
export function DigestSettings() {
  const { t } = useLocale();
  const saved = useApi<Settings>('/v1/me/notification-settings');
  const [form, setForm] = useState<Settings | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  useEffect(() => {
    if (saved.data) setForm(saved.data);
  }, [saved.data]);
  // API keys have no settings: nothing to show.
  if (!form) return null;
  const save = async () => {
    try {
      setForm(
        await api<Settings>('/v1/me/notification-settings', {
          method: 'PUT',
          body: {
            email: form.email?.trim() || null,
            language: form.language,
            dailyDigest: form.dailyDigest,
            immediate: form.immediate,
          },
        }),
      );
      setMessage(t('settingsSaved'));
    } catch (e) {
      setMessage(`${t('error')}: ${(e as Error).message}`);
    }
  };
  return (
    <div className="digest" data-testid="digest-settings">
      <input
        type="email"
        aria-label={t('notifyEmail')}
        placeholder={t('notifyEmail')}
        value={form.email ?? ''}
        onChange={(e) => setForm({ ...form, email: e.target.value })}
      />
      <select
        aria-label={t('digestLanguage')}
        value={form.language}
        onChange={(e) => setForm({ ...form, language: e.target.value as Settings['language'] })}
      >
        <option value="en">English</option>
        <option value="zh-CN">中文</option>
      </select>
      <label>
        <input
          type="checkbox"
          checked={form.dailyDigest}
          onChange={(e) => setForm({ ...form, dailyDigest: e.target.checked })}
        />{' '}
        {t('dailyDigest')}
      </label>
      <label>
        <input
          type="checkbox"
          checked={form.immediate}
          onChange={(e) => setForm({ ...form, immediate: e.target.checked })}
        />{' '}
        {t('immediateMail')}
      </label>
      <button type="button" onClick={save}>
        {t('saveSettings')}
      </button>
      <Status message={message} />
    </div>
  );
}
