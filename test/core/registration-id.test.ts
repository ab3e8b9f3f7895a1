import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  isValidUscc,
  parseRegistrationId,
  usccCheckCharacter,
} from '../../src/core/customers/registration-id.js';

describe('the unified social credit code (GB 32100-2015)', () => {
  it('accepts published codes and refuses a wrong check character', () => {
    expect(isValidUscc('91350100M000100Y43')).toBe(true);
    expect(isValidUscc('91110000802100433B')).toBe(true);
    expect(isValidUscc('914403001922038216')).toBe(true);
    expect(isValidUscc('91350100M000100Y44')).toBe(false);
    expect(isValidUscc('91110000802100433A')).toBe(false);
  });

  it('refuses the wrong length, letters outside its alphabet and a non-numeric division code', () => {
    expect(isValidUscc('91350100M000100Y4')).toBe(false);
    expect(isValidUscc('91350100M000100Y433')).toBe(false);
    expect(isValidUscc('9135010OM000100Y43')).toBe(false); // O is not in the alphabet
    expect(isValidUscc('91A50100M000100Y43')).toBe(false); // the division code is digits
  });

  it('catches every single-character substitution (property)', () => {
    const alphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY'.split('');
    const code = fc
      .tuple(
        fc.array(fc.constantFrom(...alphabet), { minLength: 2, maxLength: 2 }),
        fc.array(fc.constantFrom(...'0123456789'.split('')), { minLength: 6, maxLength: 6 }),
        fc.array(fc.constantFrom(...alphabet), { minLength: 9, maxLength: 9 }),
      )
      .map(([a, b, c]) => {
        const first17 = [...a, ...b, ...c].join('');
        return first17 + usccCheckCharacter(first17);
      });
    fc.assert(
      fc.property(
        code,
        fc.integer({ min: 0, max: 16 }),
        fc.constantFrom(...alphabet),
        (valid, at, replacement) => {
          expect(isValidUscc(valid)).toBe(true);
          const changed = valid.slice(0, at) + replacement + valid.slice(at + 1);
          if (changed !== valid && /^.{2}\d{6}/.test(changed)) expect(isValidUscc(changed)).toBe(false);
        },
      ),
    );
  });

  it('parses a registration id by country, naming what is wrong', () => {
    expect(parseRegistrationId(' 91350100m000100y43 ', 'CN', 'registrationId')).toBe('91350100M000100Y43');
    expect(() => parseRegistrationId('91350100M000100Y44', 'CN', 'registrationId')).toThrow(
      /check character .* should be 3/,
    );
    expect(() => parseRegistrationId('12345', 'CN', 'registrationId')).toThrow(
      /18-character unified social credit code/,
    );
    expect(parseRegistrationId('HRB 86891', 'DE', 'registrationId')).toBe('HRB86891');
    expect(() => parseRegistrationId('<script>', 'US', 'registrationId')).toThrow(/registry number/);
  });
});
