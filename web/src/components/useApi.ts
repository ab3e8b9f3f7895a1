import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useCallback } from 'react';
import { api } from '../api';
import { useLocale } from '../locale';

/**
 * Loads a resource — an API path, or any key with its own loader — through the shared cache, with
 * the error in words and a reload on demand. A null key loads nothing (yet). While a new key loads
 * (the next page of a list), the previous answer stays on screen.
 */
export function useApi<T>(key: string | null, load?: () => Promise<T>) {
  // Answers carry words in the reader's language: another language is another answer.
  const { locale } = useLocale();
  const query = useQuery<T, Error>({
    queryKey: [key, locale],
    queryFn: load ?? (() => api<T>(key as string)),
    enabled: key !== null,
    placeholderData: keepPreviousData,
  });
  const { refetch } = query;
  const reload = useCallback(() => void refetch(), [refetch]);
  return { data: query.data ?? null, error: query.error?.message ?? null, reload };
}
