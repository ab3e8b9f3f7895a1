import { type FormEvent, type ReactNode, useState } from 'react';
import { api, type Me, session } from '../api';
import { useLocale } from '../locale';

export function Login({
  onSignedIn,
  languageSwitch,
}: {
  onSignedIn: (me: Me) => void;
  languageSwitch: ReactNode;
}) {
  const { t } = useLocale();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [apiKey, setApiKey] = useState('');
  const [error, setError] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      if (apiKey) session.set(apiKey.trim());
      else
        session.set(
          (await api<{ token: string }>('/v1/sessions', { method: 'POST', body: { username, password } }))
            .token,
        );
      onSignedIn(await api<Me>('/v1/me'));
    } catch (e) {
      session.clear();
      setError(`${t('loginFailed')}: ${(e as Error).message}`);
    }
  };

  return (
    <div className="login">
      <form onSubmit={submit} className="card">
        <h1>
          {t('title')} <span className="muted">{t('subtitle')}</span>
        </h1>
        <label>
          {t('username')}
          <input
            name="username"
            autoComplete="username"
            value={username}
            onChange={(e) => setUsername(e.target.value)}
          />
        </label>
        <label>
          {t('password')}
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        <details>
          <summary>{t('orApiKey')}</summary>
          <label>
            {t('apiKey')}
            <input name="apiKey" value={apiKey} onChange={(e) => setApiKey(e.target.value)} />
          </label>
        </details>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="primary">
          {t('signIn')}
        </button>
        <div>{languageSwitch}</div>
      </form>
    </div>
  );
}
