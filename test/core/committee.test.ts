import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  assertCommitteeDone,
  assertMaySignOff,
  DEFAULT_COMMITTEE,
  type SignOff,
} from '../../src/core/policy/committee.js';

const codeOf = (run: () => void) => {
  try {
    run();
    return 'ok';
  } catch (error) {
    return (error as { code: string }).code;
  }
};
const ROLES = ['sales', 'finance', 'legal', 'credit_manager', 'admin'];
const ABOVE = DEFAULT_COMMITTEE.thresholdMinor + 1;

describe('credit committee', () => {
  it('a sequence of accepted sign-offs completes the committee exactly when every committee role approved', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            actor: fc.constantFrom('a', 'b', 'c', 'd', 'requester'),
            role: fc.constantFrom(...ROLES),
            decision: fc.constantFrom('approve' as const, 'reject' as const),
          }),
          { maxLength: 8 },
        ),
        (attempts) => {
          const accepted: SignOff[] = [];
          for (const attempt of attempts) {
            const code = codeOf(() =>
              assertMaySignOff(DEFAULT_COMMITTEE, attempt, 'requester', accepted, ABOVE),
            );
            if (attempt.actor === 'requester') expect(code).toBe('four_eyes_violation');
            if (code === 'ok') accepted.push({ ...attempt, note: 'n' });
          }
          // Never two sign-offs for one role or by one person, never one by the requester or an outsider.
          expect(new Set(accepted.map((s) => s.role)).size).toBe(accepted.length);
          expect(new Set(accepted.map((s) => s.actor)).size).toBe(accepted.length);
          expect(
            accepted.every((s) => s.actor !== 'requester' && DEFAULT_COMMITTEE.roles.includes(s.role)),
          ).toBe(true);
          const complete = DEFAULT_COMMITTEE.roles.every((role) =>
            accepted.some((s) => s.role === role && s.decision === 'approve'),
          );
          expect(codeOf(() => assertCommitteeDone(DEFAULT_COMMITTEE, accepted, ABOVE))).toBe(
            complete ? 'ok' : 'committee_pending',
          );
        },
      ),
    );
  });

  it('at or below the threshold, or with no committee in the policy, nothing waits for it', () => {
    expect(codeOf(() => assertCommitteeDone(DEFAULT_COMMITTEE, [], DEFAULT_COMMITTEE.thresholdMinor))).toBe(
      'ok',
    );
    expect(codeOf(() => assertCommitteeDone(null, [], Number.MAX_SAFE_INTEGER))).toBe('ok');
    expect(
      codeOf(() =>
        assertMaySignOff(
          DEFAULT_COMMITTEE,
          { actor: 'a', role: 'legal' },
          'r',
          [],
          DEFAULT_COMMITTEE.thresholdMinor,
        ),
      ),
    ).toBe('committee_not_required');
  });
});
