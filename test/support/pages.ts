import { expect } from 'vitest';
import type { TestApi } from './api.js';

/**
 * Every item of a paged list, `limit` at a time, following the server's cursors to the end;
 * each page checked for a 200 and for holding at most `limit` items.
 */
export async function walkPages<T>(api: TestApi, path: string, query: string, limit: number): Promise<T[]> {
  const seen: T[] = [];
  let cursor: string | null = null;
  do {
    const url = `${path}?limit=${limit}${query ? `&${query}` : ''}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const answer = await api.call({ method: 'GET', url });
    expect(answer.statusCode, `${url}: ${answer.body}`).toBe(200);
    const page = answer.json() as { items: T[]; nextCursor: string | null };
    expect(page.items.length).toBeLessThanOrEqual(limit);
    seen.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return seen;
}
