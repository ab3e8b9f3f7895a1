import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { entryText } from '../../src/core/audit/chain.js';
import { canonicalJson } from '../../src/core/canonical-json.js';

describe('the hashed text of an audit entry', () => {
  it('is canonicalJson of the entry, so chains stored before stay valid', () => {
    const text = fc.oneof(
      fc.string(),
      fc.string({ unit: 'grapheme' }),
      fc.constantFrom('', '"', '\\\\', '\\n', '中文'),
    );
    fc.assert(
      fc.property(
        fc.record({
          seq: fc.nat(),
          occurredAt: text,
          actor: text,
          action: text,
          entityType: text,
          entityId: text,
          beforeJson: fc.option(text, { nil: null }),
          afterJson: fc.option(fc.json(), { nil: null }),
          prevHash: text,
        }),
        (entry) => {
          expect(entryText(entry)).toBe(canonicalJson(entry));
        },
      ),
      { numRuns: 2_000 },
    );
  });
});
