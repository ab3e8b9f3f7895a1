import { useState } from 'react';
import { useLocale } from '../locale';

export interface NoteAction {
  /** What is about to happen, e.g. "Approve the limit request". */
  readonly title: string;
  /** The figures to decide on, label and value. */
  readonly facts: readonly (readonly [string, string])[];
  readonly run: (note: string) => Promise<void>;
}

/** A decision with its figures beside it and the note it needs, confirmed in a dialog (not a browser prompt). */
export function NoteDialog({ action, onClose }: { action: NoteAction; onClose: () => void }) {
  const { t } = useLocale();
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const confirm = async () => {
    if (!note.trim()) {
      setError(t('noteRequired'));
      return;
    }
    setBusy(true);
    try {
      await action.run(note.trim());
      onClose();
    } catch (e) {
      setError(`${t('error')}: ${(e as Error).message}`);
    } finally {
      setBusy(false);
    }
  };
  return (
    <dialog open className="note-dialog" data-testid="note-dialog" aria-label={action.title}>
      <h3>{action.title}</h3>
      <dl className="facts">
        {action.facts.map(([label, value]) => (
          <span key={label}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </span>
        ))}
      </dl>
      <textarea
        aria-label={t('note')}
        placeholder={t('note')}
        value={note}
        onChange={(e) => setNote(e.target.value)}
      />
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <div className="actions">
        <button type="button" className="primary" disabled={busy} onClick={confirm}>
          {t('confirm')}
        </button>
        <button type="button" onClick={onClose}>
          {t('cancel')}
        </button>
      </div>
    </dialog>
  );
}
