import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../api';

/**
 * Loads a resource — an API path, or any key with its own loader — with the error in words and a
 * reload after a change. A null key loads nothing (yet).
 */
export function useApi<T>(key: string | null, load?: () => Promise<T>) {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const loader = useRef(load);
  loader.current = load;
  const reload = useCallback(() => setVersion((v) => v + 1), []);
  // biome-ignore lint/correctness/useExhaustiveDependencies: version forces a reload
  useEffect(() => {
    if (!key) return;
    let live = true;
    setError(null);
    (loader.current ? loader.current() : api<T>(key))
      .then((result) => live && setData(result))
      .catch((e: Error) => live && setError(e.message));
    return () => {
      live = false;
    };
  }, [key, version]);
  return { data, error, reload };
}
