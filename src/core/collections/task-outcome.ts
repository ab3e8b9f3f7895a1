/**
 * What came of a collector's task (E2): whom the call reached and what they said. Kept with the
 * task so that the account's history says which calls led anywhere.
 */
export const TASK_OUTCOMES = [
  'reached',
  'promised_to_pay',
  'disputed',
  'refused_to_pay',
  'no_answer',
  'wrong_contact',
  'other',
] as const;
export type TaskOutcome = (typeof TASK_OUTCOMES)[number];
