/** A list flattened for a spreadsheet: one column per leaf field, in first-seen order. */
export interface Table {
  readonly columns: string[];
  readonly rows: (string | number | boolean | null)[][];
}

type Cell = string | number | boolean | null;

/**
 * Text that a spreadsheet would run as a formula (=, +, -, @, or a leading tab or carriage
 * return) gets a leading apostrophe: stored as it was, shown as text when the file is opened.
 * Numbers are left alone (−5 is a number, not a formula).
 */
export function spreadsheetSafe(value: Cell): Cell {
  return typeof value === 'string' && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

function flatten(value: unknown, prefix: string, out: Map<string, Cell>): void {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, item] of Object.entries(value)) flatten(item, prefix ? `${prefix}.${key}` : key, out);
    return;
  }
  if (Array.isArray(value)) out.set(prefix, JSON.stringify(value));
  else if (value === undefined) out.set(prefix, null);
  else out.set(prefix, value as Cell);
}

/** Nested fields become dotted columns (`decision.outcome`), lists a JSON cell; every cell made safe. */
export function tableOf(items: readonly unknown[]): Table {
  const flat = items.map((item) => {
    const out = new Map<string, Cell>();
    flatten(item, '', out);
    return out;
  });
  const columns: string[] = [];
  const seen = new Set<string>();
  for (const row of flat)
    for (const key of row.keys())
      if (!seen.has(key)) {
        seen.add(key);
        columns.push(key);
      }
  return { columns, rows: flat.map((row) => columns.map((c) => spreadsheetSafe(row.get(c) ?? null))) };
}
