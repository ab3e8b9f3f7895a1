import { useState } from 'react';
import { OVERRIDE_REASON_MIN_LENGTH } from '../../../src/core/rating/override';
import { api } from '../api';
import { formatPercent } from '../i18n';
import { useLocale } from '../locale';
import { useCan } from '../me';
import { type NoteAction, NoteDialog } from './NoteDialog';
import { Status } from './Status';
import { useApi } from './useApi';

const GRADES = Array.from({ length: 10 }, (_, i) => String(i + 1));

/**
 * The score card's actions (A6): score the customer again now (after news the nightly job has not
 * seen), or contest the model's grade — an override asked with its reason, in force once someone
 * else approves it.
 */
export function ScoreActions({ customerId }: { customerId: string }) {
  const { t, locale } = useLocale();
  const can = useCan();
  const profile = useApi<{ strategic: boolean; modelGrade: number | null; ratingSource: string }>(
    `/v1/customers/${customerId}/credit-profile`,
  );
  const modelGrade = profile.data?.modelGrade ?? null;
  // Only a strategic customer's model grade may be overridden (A6), and not to the grade it has.
  const mayContest =
    can('ratings.override') &&
    profile.data?.strategic === true &&
    modelGrade !== null &&
    profile.data.ratingSource !== 'override';
  const [action, setAction] = useState<NoteAction | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const rescore = async () => {
    setBusy(true);
    try {
      const now = await api<{ score: number; pd: number; grade: number }>(
        `/v1/customers/${customerId}/score`,
        {
          method: 'POST',
        },
      );
      setMessage(t('rescored', { score: now.score, pd: formatPercent(now.pd, locale), grade: now.grade }));
    } catch (e) {
      setMessage(`${t('error')}: ${(e as Error).message}`);
    } finally {
      setBusy(false);
    }
  };
  const contest = () =>
    setAction({
      title: t('requestOverride'),
      facts: [[t('modelGrade'), String(modelGrade)]],
      input: {
        label: t('grade'),
        type: 'select',
        options: GRADES.filter((g) => g !== String(modelGrade)).map((g) => [g, g]),
      },
      noteMinLength: OVERRIDE_REASON_MIN_LENGTH,
      run: async (reason, asked) => {
        await api(`/v1/customers/${customerId}/rating-overrides`, {
          method: 'POST',
          body: { grade: Number(asked), reason },
        });
        setMessage(t('overrideRequested', { grade: asked }));
      },
    });
  if (!can('credit.profile.write') && !can('ratings.override')) return null;
  return (
    <div className="actions" data-testid="score-actions">
      {can('credit.profile.write') && (
        <button type="button" disabled={busy} onClick={rescore}>
          {t('rescore')}
        </button>
      )}
      {mayContest && (
        <button type="button" onClick={contest}>
          {t('requestOverride')}
        </button>
      )}
      {action && <NoteDialog action={action} onClose={() => setAction(null)} />}
      <Status message={message} />
    </div>
  );
}
