import { DomainError } from '../errors.js';

/**
 * An alert's life: open → acknowledged → actioned | dismissed; the monitoring run clears one whose
 * rule no longer fires. Acting or dismissing needs words (what was done, or why it is no risk).
 */
export const ALERT_STATES = ['open', 'acknowledged', 'actioned', 'dismissed', 'cleared'] as const;
export type AlertState = (typeof ALERT_STATES)[number];

export const ALERT_MOVES = ['acknowledge', 'action', 'dismiss'] as const;
export type AlertMove = (typeof ALERT_MOVES)[number];

const FROM: Readonly<Record<AlertMove, readonly AlertState[]>> = {
  acknowledge: ['open'],
  action: ['open', 'acknowledged'],
  dismiss: ['open', 'acknowledged'],
};
const TO: Readonly<Record<AlertMove, AlertState>> = {
  acknowledge: 'acknowledged',
  action: 'actioned',
  dismiss: 'dismissed',
};

export function moveAlertState(state: AlertState, move: AlertMove, reason: string | null): AlertState {
  if (!FROM[move].includes(state))
    throw new DomainError('invalid_alert_transition', `an alert that is ${state} cannot be moved by ${move}`);
  if (move !== 'acknowledge' && !reason?.trim())
    throw new DomainError(
      'required',
      move === 'action' ? 'say what was done' : 'say why the alert is no risk',
      'reason',
    );
  return TO[move];
}
