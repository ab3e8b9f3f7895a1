import { describe, expect, it } from 'vitest';
import { ALERT_MOVES, ALERT_STATES, moveAlertState } from '../../src/core/monitoring/alert-state.js';

describe('an alert’s state machine', () => {
  it('moves open → acknowledged → actioned | dismissed, the last two with words', () => {
    expect(moveAlertState('open', 'acknowledge', null)).toBe('acknowledged');
    expect(moveAlertState('acknowledged', 'action', 'limit cut to 50 %')).toBe('actioned');
    expect(moveAlertState('open', 'dismiss', 'paid yesterday, not yet booked')).toBe('dismissed');
    expect(() => moveAlertState('acknowledged', 'dismiss', '  ')).toThrow(/say why/);
    expect(() => moveAlertState('open', 'action', null)).toThrow(/say what was done/);
  });

  it('never moves an alert that is closed, nor acknowledges one twice', () => {
    for (const state of ALERT_STATES.filter((s) => s !== 'open' && s !== 'acknowledged'))
      for (const move of ALERT_MOVES)
        expect(() => moveAlertState(state, move, 'words')).toThrow(
          expect.objectContaining({ code: 'invalid_alert_transition' }),
        );
    expect(() => moveAlertState('acknowledged', 'acknowledge', null)).toThrow(
      expect.objectContaining({ code: 'invalid_alert_transition' }),
    );
  });
});
