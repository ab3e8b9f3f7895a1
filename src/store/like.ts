import { type RawBuilder, sql } from 'kysely';

/** `lower(<expression>) like '%text%'`, with the text's own % and _ taken literally (both stores). */
export function containsText(expression: RawBuilder<unknown>, text: string): RawBuilder<boolean> {
  const pattern = `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return sql<boolean>`lower(${expression}) like ${pattern} escape '\\'`;
}
