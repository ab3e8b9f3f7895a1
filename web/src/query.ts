import { QueryClient } from '@tanstack/react-query';

/**
 * The dashboard's one cache of what it read: a page opened again shows what it had at once and
 * refreshes it; any change the user makes marks every answer stale, so each page on screen reads
 * its figures again (no page keeps a list of what to reload after an action).
 */
export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // Errors are shown in words; a refused or missing resource is not worth asking again.
      retry: false,
      refetchOnWindowFocus: false,
    },
  },
});

/** After a write: every cached answer may have changed. */
export function changed(): void {
  void queryClient.invalidateQueries();
}
