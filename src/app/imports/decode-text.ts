import { isUtf8 } from 'node:buffer';
import { DomainError } from '../../core/errors.js';

/** Encodings an import file may be in: UTF-8 (the canonical one), GB18030 (Chinese ERP exports), Latin-1. */
export const IMPORT_ENCODINGS = ['utf8', 'gb18030', 'latin1'] as const;
export type ImportEncoding = (typeof IMPORT_ENCODINGS)[number];

export function parseEncoding(value: string): ImportEncoding {
  const normalised = value.toLowerCase().replace(/[-_]/g, '');
  const found = IMPORT_ENCODINGS.find(
    (e) => e === normalised || (e === 'latin1' && normalised === 'iso88591'),
  );
  if (!found)
    throw new DomainError(
      'invalid_encoding',
      `encoding must be one of ${IMPORT_ENCODINGS.join(', ')}`,
      'encoding',
    );
  return found;
}

/** The 1-based line of the file at byte `offset`. */
function lineAt(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (bytes[i] === 0x0a) line++;
  return line;
}

/**
 * A file's bytes as text, refused — naming the line — rather than silently damaged: invalid UTF-8
 * would otherwise be stored with replacement characters, and a NUL byte is never text.
 */
export function decodeText(bytes: Uint8Array, encoding: ImportEncoding = 'utf8'): string {
  const nul = bytes.indexOf(0);
  if (nul >= 0)
    throw new DomainError(
      'invalid_text',
      `line ${lineAt(bytes, nul)} holds a NUL byte: this is not a text file (or it is UTF-16: save it as UTF-8)`,
    );
  if (encoding === 'latin1') return Buffer.from(bytes).toString('latin1');
  const valid =
    encoding === 'gb18030'
      ? (part: Uint8Array) => {
          try {
            new TextDecoder('gb18030', { fatal: true }).decode(part);
            return true;
          } catch {
            return false;
          }
        }
      : isUtf8;
  if (valid(bytes))
    return encoding === 'gb18030'
      ? new TextDecoder('gb18030').decode(bytes)
      : Buffer.from(bytes).toString('utf8');
  throw new DomainError(
    'invalid_encoding',
    `line ${firstInvalidLine(bytes, valid)} is not valid ${encoding === 'utf8' ? 'UTF-8' : 'GB18030'}: save the file as UTF-8, or name its encoding (--encoding gb18030 for Chinese ERP exports, --encoding latin1)`,
    'encoding',
  );
}

/** A newline byte never occurs inside a UTF-8 or GB18030 sequence, so each line can be checked alone. */
function firstInvalidLine(bytes: Uint8Array, valid: (part: Uint8Array) => boolean): number {
  let start = 0;
  let line = 1;
  for (;;) {
    const end = bytes.indexOf(0x0a, start);
    if (!valid(bytes.subarray(start, end < 0 ? bytes.length : end)) || end < 0) return line;
    start = end + 1;
    line++;
  }
}
