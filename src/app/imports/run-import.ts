import { DomainError } from '../../core/errors.js';
import { idsByExternalId } from '../lookup.js';
import { BatchRejected } from '../row-errors.js';
import type { Actor, Progress, Services } from '../services.js';
import type { ImportKind, StoredPair } from './import-kind.js';
import type { ReadTable } from './read-table.js';

/** insert: every row is new (one already there is a problem); upsert: new rows inserted, changed ones updated; skip-existing: rows already there left alone. */
export const IMPORT_MODES = ['insert', 'upsert', 'skip-existing'] as const;
export type ImportMode = (typeof IMPORT_MODES)[number];

/** A problem with one cell, as the import report shows it (row 1 = the first data row, 0 = the file). */
export interface ImportProblem {
  readonly row: number;
  readonly line: number;
  readonly column: string;
  readonly code: string;
  readonly reason: string;
}

export interface ImportCounts {
  readonly imported: number;
  readonly updated: number;
  readonly unchanged: number;
  readonly skipped: number;
}

export type ImportResult =
  | ({ ok: true; rows: number; delimiter: string } & ImportCounts)
  | { ok: false; problems: ImportProblem[] };

const SHARED_COLUMNS: Record<string, string> = {
  externalId: 'external_id',
  customerExternalId: 'customer_external_id',
  invoiceExternalId: 'invoice_external_id',
  amountMinor: 'amount',
};

/** `currentAssetsMinor` → `current_assets_minor`: a field's column (and stored column) name. */
export const snake = (field: string) => field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
/** A problem with the file as a whole (row 0), as the one problem of its report. */
export const fileProblem = (code: string, reason: string, line = 0): ImportResult => ({
  ok: false,
  problems: [{ row: 0, line, column: '', code, reason }],
});
const shown = (value: unknown) => (value === null || value === undefined ? 'empty' : `"${String(value)}"`);

/**
 * Imports one table all-or-nothing: every problem of every row is found in one pass — each cell's
 * form (a bad cell stands aside for the sample's so the row's next problem shows), the records it
 * names, keys repeated, and what the mode refuses — and nothing is written unless all pass.
 */
export async function runImport<I>(
  services: Services,
  kind: ImportKind<I>,
  table: ReadTable,
  options: { actor: Actor; mode: ImportMode; onProgress?: Progress },
): Promise<ImportResult> {
  const { header, records } = table;
  if (header.length === 0)
    return fileProblem('empty_file', 'the file is empty: a header row and data rows are expected');
  const missing = kind.columns.filter((c) => !header.includes(c));
  if (missing.length > 0) {
    const hint =
      header.length === 1 && table.delimiter === ','
        ? ' (the header was read as one column: is the file separated by commas?)'
        : '';
    return {
      ok: false,
      problems: missing.map((column) => ({
        row: 0,
        line: 1,
        column,
        code: 'missing_column',
        reason: `the header has no column "${column}"${hint}`,
      })),
    };
  }
  if (records.length === 0)
    return fileProblem('no_rows', 'the file has a header row but no data rows: nothing to import', 2);

  const columnOf = (field: string | undefined) =>
    field === undefined ? '' : (kind.columnOf[field] ?? SHARED_COLUMNS[field] ?? snake(field));
  const problems: ImportProblem[] = [];
  const problem = (index: number, column: string, code: string, reason: string) =>
    problems.push({ row: index + 1, line: records[index]?.info.lines ?? 0, column, code, reason });

  const inputs: (I | null)[] = records.map(({ record }, index) => {
    let row = record;
    for (;;) {
      try {
        const input = kind.toInput(row);
        kind.check(input);
        return row === record ? input : null;
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        const column = columnOf(error.field);
        problem(index, column, error.code, error.message);
        if (!(column in kind.sample) || row[column] === kind.sample[column]) return null;
        row = { ...row, [column]: kind.sample[column] ?? '' };
      }
    }
  });

  for (const ref of kind.references ?? []) {
    if (!header.includes(ref.column)) continue;
    const known = await idsByExternalId(
      services.store.db,
      ref.table,
      records.map((r) => r.record[ref.column] ?? '').filter(Boolean),
    );
    records.forEach(({ record }, index) => {
      const value = record[ref.column];
      if (!value || known.has(value)) return;
      const noun = ref.table === 'customers' ? 'customer' : 'invoice';
      problem(index, ref.column, `unknown_${noun}`, `no ${noun} has external id "${value}"`);
      inputs[index] = null;
    });
  }

  const fresh: { input: I; index: number }[] = [];
  const changed: (StoredPair<I> & { index: number })[] = [];
  let unchanged = 0;
  let skipped = 0;
  const keyed = kind.keyed;
  const valid = inputs.flatMap((input, index) => (input === null ? [] : [{ input, index }]));
  if (!keyed) fresh.push(...valid);
  else {
    const stored = await keyed.stored(
      services.store.db,
      valid.map((v) => v.input),
    );
    const keyColumn = keyed.keyColumns.join(', ');
    const seen = new Map<string, number>();
    for (const { input, index } of valid) {
      const key = keyed.keyOf(input);
      const earlier = seen.get(key);
      if (earlier !== undefined) {
        problem(index, keyColumn, 'duplicate_key', `${key} is on row ${earlier + 1} of this file already`);
        continue;
      }
      seen.set(key, index);
      const before = stored.get(key);
      if (!before) fresh.push({ input, index });
      else if (options.mode === 'skip-existing') skipped++;
      else if (options.mode === 'insert')
        problem(
          index,
          keyColumn,
          'duplicate_external_id',
          `${key} exists already: --mode upsert updates it, --skip-existing leaves it`,
        );
      else {
        const diffs = Object.keys(input as object).filter((field) => {
          const value = (input as Record<string, unknown>)[field];
          const column = columnOf(field);
          return (
            value !== undefined &&
            header.includes(column) &&
            field in (before as object) &&
            value !== (before as Record<string, unknown>)[field]
          );
        });
        const fixed = diffs.filter((f) => !keyed.mutable.includes(f));
        for (const field of fixed)
          problem(
            index,
            columnOf(field),
            'immutable_field',
            `${key} has ${shown((before as Record<string, unknown>)[field])} here and ${shown((input as Record<string, unknown>)[field])} in the file: ${keyed.immutableWhy}`,
          );
        if (fixed.length > 0) continue;
        if (diffs.length === 0) {
          unchanged++;
          continue;
        }
        try {
          keyed.checkChange?.({ input, stored: before });
          changed.push({ input, stored: before, index });
        } catch (error) {
          if (!(error instanceof DomainError)) throw error;
          problem(index, columnOf(error.field), error.code, error.message);
        }
      }
    }
  }
  if (problems.length > 0) return { ok: false, problems: sortedBy(header, problems) };

  const total = fresh.length + changed.length;
  try {
    await kind.write(
      services,
      options.actor,
      fresh.map((f) => f.input),
      (done) => options.onProgress?.(done, total),
    );
  } catch (error) {
    if (!(error instanceof BatchRejected)) throw error;
    for (const e of error.errors) {
      const index = fresh[e.index]?.index ?? 0;
      problem(index, columnOf(e.field), e.code, e.message);
    }
    return { ok: false, problems: sortedBy(header, problems) };
  }
  if (changed.length > 0) await keyed?.update?.(services, options.actor, changed);
  options.onProgress?.(total, total);
  return {
    ok: true,
    rows: records.length,
    delimiter: table.delimiter,
    imported: fresh.length,
    updated: changed.length,
    unchanged,
    skipped,
  };
}

/** By row, and within a row in the file's column order. */
function sortedBy(header: readonly string[], problems: ImportProblem[]): ImportProblem[] {
  const place = (column: string) => {
    const at = header.indexOf(column.split(', ')[0] ?? column);
    return at < 0 ? header.length : at;
  };
  return problems.sort((a, b) => a.row - b.row || place(a.column) - place(b.column));
}
