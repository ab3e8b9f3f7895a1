import { DomainError } from '../core/errors.js';

/** A validation failure of one input row in a batch: which row, which field, why. */
export interface RowError {
  readonly index: number;
  readonly field: string | undefined;
  readonly code: string;
  readonly message: string;
}

/** Raised when a batch has bad rows; nothing of the batch was written. */
export class BatchRejected extends Error {
  readonly errors: readonly RowError[];
  constructor(errors: readonly RowError[]) {
    super(`${errors.length} row(s) rejected`);
    this.name = 'BatchRejected';
    this.errors = errors;
  }
}

/**
 * Runs `check` on every row, collecting each row's DomainError instead of stopping at the first,
 * so an import reports every bad row at once.
 */
export function validateRows<I, O>(inputs: readonly I[], check: (input: I, index: number) => O): O[] {
  const out: O[] = [];
  const errors: RowError[] = [];
  inputs.forEach((input, index) => {
    try {
      out.push(check(input, index));
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      errors.push({ index, field: error.field, code: error.code, message: error.message });
    }
  });
  if (errors.length > 0) throw new BatchRejected(errors);
  return out;
}

/** Rejects a batch in which one external id appears twice. */
export function rejectDuplicateIds(externalIds: readonly string[], existing: ReadonlySet<string>): void {
  const seen = new Set<string>();
  const errors: RowError[] = [];
  externalIds.forEach((id, index) => {
    if (seen.has(id) || existing.has(id)) {
      const where = seen.has(id) ? 'earlier in this batch' : 'already';
      errors.push({
        index,
        field: 'externalId',
        code: 'duplicate_external_id',
        message: `external id "${id}" exists ${where}`,
      });
    }
    seen.add(id);
  });
  if (errors.length > 0) throw new BatchRejected(errors);
}

/** A one-row batch's rejection, as the single error an HTTP request expects. */
export function firstError(error: BatchRejected): DomainError {
  const first = error.errors[0];
  if (!first) return new DomainError('invalid_request', error.message);
  return new DomainError(first.code, first.message, first.field);
}
