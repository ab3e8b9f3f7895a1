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
  const records = parse(readFileSync(file), {
    columns: true,
    bom: true,
    skip_empty_lines: true,
    trim: true,
  }) as Record<string, string>[];
  const header = Object.keys(records[0] ?? {});
  if (!header.includes(target))
    throw new DomainError(
      'missing_column',
      `${file}: no target column "${target}" (columns: ${header.join(', ')})`,
    );
  const unknown = exclude.filter((c) => !header.includes(c));
  if (unknown.length > 0)
    throw new InvalidArgumentError(`--exclude names unknown columns: ${unknown.join(', ')}`);
  const kept = records.filter((_, i) => !only || only.has(i));
  const outcomes = kept.map((r, i) => {
    const y = r[target];
    if (y !== '0' && y !== '1')
      throw new DomainError(
        'invalid_target',
        `${file}: row ${i + 1}: target "${target}" must be 0 or 1, got "${y}"`,
      );
    return Number(y);
  });
  const columns: Column[] = header
    .filter((name) => name !== target && !exclude.includes(name))
    .map((name) => {
      const raw = kept.map((r) => r[name] ?? '');
      const numeric = raw.every((v) => v === '' || Number.isFinite(Number(v)));
      return numeric
        ? { name, kind: 'numeric' as const, values: raw.map((v) => (v === '' ? null : Number(v))) }
        : { name, kind: 'categorical' as const, values: raw.map((v) => (v === '' ? null : v)) };
    });
  return { columns, outcomes, rows: kept.length };
}

/** A split file: `row,split` with row = 0-based data row and split = train | test. */
export function readSplit(file: string, part: 'train' | 'test'): Set<number> {
  const records = parse(readFileSync(file), { columns: true, skip_empty_lines: true, trim: true }) as Record<
    string,
    string
  >[];
  return new Set(records.filter((r) => r.split === part).map((r) => Number(r.row)));
}
