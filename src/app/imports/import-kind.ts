import { parseCurrency } from '../../core/money/currency.js';
import { parseMajorAmount } from '../../core/money/parse.js';
import type { Executor } from '../../store/write.js';
import type { Actor, Progress, Services } from '../services.js';

/** A stored record a row names by its key, beside the row's own reading (an upsert compares the two). */
export interface StoredPair<I> {
  readonly input: I;
  readonly stored: I;
}

/**
 * One import kind (CONTRACT.md's canonical CSVs and the rest): its columns, how a row becomes an
 * input, how inputs are checked and written, and — for kinds whose rows have a key — how a row is
 * found again, what an upsert may change and how.
 */
export interface ImportKind<I> {
  /** Required columns, in the order of the sample file. */
  readonly columns: readonly string[];
  /** Columns that may be left out of the header altogether. */
  readonly optionalColumns: readonly string[];
  /** Input field → column, where the column is not the field in snake case. */
  readonly columnOf: Readonly<Record<string, string>>;
  /** A row valid in form, whose cells stand in for a bad cell so one pass finds a row's every problem. */
  readonly sample: Readonly<Record<string, string>>;
  toInput(row: Record<string, string>): I;
  /** The core validation the write applies, run first so one pass reports every bad row. */
  check(input: I): unknown;
  /** Columns naming a record that must already be in the book. */
  readonly references?: readonly { column: string; table: 'customers' | 'invoices' }[];
  write(services: Services, actor: Actor, inputs: I[], onProgress: Progress): Promise<unknown[]>;
  /** What an upsert or --skip-existing needs; a kind without it takes every row as new. */
  readonly keyed?: Keyed<I>;
}

export interface Keyed<I> {
  /** The columns the key is made of (named in a problem). */
  readonly keyColumns: readonly string[];
  keyOf(input: I): string;
  /** The stored records with these keys, read back as inputs. */
  stored(executor: Executor, inputs: readonly I[]): Promise<Map<string, I>>;
  /** Fields an upsert may change; a difference elsewhere is refused with `why`. */
  readonly mutable: readonly string[];
  readonly immutableWhy: string;
  /** Throws a DomainError when a change of a mutable field is not one the record may make. */
  checkChange?(pair: StoredPair<I>): void;
  update?(services: Services, actor: Actor, pairs: readonly StoredPair<I>[]): Promise<void>;
}

/** An amount in major units of the row's currency, as minor units (errors name `amountMinor`). */
export function amountOf(row: Record<string, string>, column = 'amount'): number {
  return parseMajorAmount(row[column] ?? '', parseCurrency(row.currency ?? '', 'currency'), 'amountMinor');
}

/** An optional cell: absent or empty is undefined. */
export const optional = (value: string | undefined) => (value && value.length > 0 ? value : undefined);
