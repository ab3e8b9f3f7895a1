import { readFileSync } from 'node:fs';
import { InvalidArgumentError } from 'commander';
import { parse } from 'csv-parse/sync';
import { DomainError } from '../core/errors.js';
import type { Column } from '../core/scoring/binning.js';

export interface Dataset {
  readonly columns: Column[];
  readonly outcomes: number[];
  readonly rows: number;
}

/**
 * Reads a modelling CSV: header row, empty field = missing, the target column 0/1 (1 = bad).
 * A column is numeric when every non-empty value is a finite number; otherwise categorical.
 * `only` keeps the given 0-based data rows (a train or test split).
 */
export function readDataset(
  file: string,
  target: string,
  exclude: readonly string[],
  only?: ReadonlySet<number>,
): Dataset {
  // Arrays, not one object per record: a 30,000-row file is read in a third of the time.
  const records = parse(readFileSync(file), { bom: true, skip_empty_lines: true, trim: true }) as string[][];
  const header = records[0] ?? [];
  if (!header.includes(target))
    throw new DomainError(
      'missing_column',
      `${file}: no target column "${target}" (columns: ${header.join(', ')})`,
    );
  const unknown = exclude.filter((c) => !header.includes(c));
  if (unknown.length > 0)
    throw new InvalidArgumentError(`--exclude names unknown columns: ${unknown.join(', ')}`);
  const kept = records.slice(1).filter((_, i) => !only || only.has(i));
  const targetAt = header.indexOf(target);
  const outcomes = kept.map((r, i) => {
    const y = r[targetAt];
    if (y !== '0' && y !== '1')
      throw new DomainError(
        'invalid_target',
        `${file}: row ${i + 1}: target "${target}" must be 0 or 1, got "${y}"`,
      );
    return Number(y);
  });
  const columns: Column[] = [];
  header.forEach((name, at) => {
    if (name !== target && !exclude.includes(name)) columns.push(columnOf(name, kept, at));
  });
  return { columns, outcomes, rows: kept.length };
}

/** Numeric when every non-empty value is a finite number (each converted once); otherwise categorical. */
function columnOf(name: string, records: readonly string[][], at: number): Column {
  const numbers = new Array<number | null>(records.length);
  for (let i = 0; i < records.length; i++) {
    const v = (records[i] as string[])[at] ?? '';
    if (v === '') {
      numbers[i] = null;
      continue;
    }
    const x = Number(v);
    if (!Number.isFinite(x))
      return { name, kind: 'categorical', values: records.map((r) => (r[at] ? (r[at] as string) : null)) };
    numbers[i] = x;
  }
  return { name, kind: 'numeric', values: numbers };
}

/** A split file: `row,split` with row = 0-based data row and split = train | test. */
export function readSplit(file: string, part: 'train' | 'test'): Set<number> {
  const records = parse(readFileSync(file), { columns: true, skip_empty_lines: true, trim: true }) as Record<
    string,
    string
  >[];
  return new Set(records.filter((r) => r.split === part).map((r) => Number(r.row)));
}
