import { DomainError } from '../errors.js';

/** The 31 characters of a unified social credit code (GB 32100-2015): no I, O, S, V or Z. */
const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** The check character (the 18th) a unified social credit code's first 17 characters call for. */
export function usccCheckCharacter(first17: string): string | null {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const value = USCC_CHARS.indexOf(first17[i] ?? '');
    if (value < 0) return null;
    sum += value * (USCC_WEIGHTS[i] as number);
  }
  return USCC_CHARS[(31 - (sum % 31)) % 31] as string;
}

/** 统一社会信用代码: 18 characters of its alphabet, the 3rd–8th an administrative division, the last its check character. */
export function isValidUscc(code: string): boolean {
  return (
    /^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/.test(code) && usccCheckCharacter(code) === code[17]
  );
}

/** A registration id as registries compare it: no spaces, upper case (how it is stored and looked up). */
export const compactRegistrationId = (value: string) => value.replace(/\s+/g, '').toUpperCase();

/**
 * A buyer's registration id: for a Chinese company its unified social credit code, checked to the
 * check character (upper-cased, spaces removed); elsewhere the registry's number as given.
 */
export function parseRegistrationId(value: string, country: string, field: string): string {
  const compact = compactRegistrationId(value);
  if (country === 'CN') {
    if (!isValidUscc(compact))
      throw new DomainError(
        'invalid_registration_id',
        compact.length === 18 && usccCheckCharacter(compact) !== null
          ? `${field}: the check character of unified social credit code ${compact} should be ${usccCheckCharacter(compact)}`
          : `${field} must be an 18-character unified social credit code (GB 32100-2015), got "${value}"`,
        field,
      );
    return compact;
  }
  if (!/^[A-Z0-9][A-Z0-9./-]{0,39}$/.test(compact))
    throw new DomainError(
      'invalid_registration_id',
      `${field} must be a registry number of 1 to 40 letters, digits, '.', '/' or '-', got "${value}"`,
      field,
    );
  return compact;
}
