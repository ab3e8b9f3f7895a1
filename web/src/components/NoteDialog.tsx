import { useState } from 'react';
import { useLocale } from '../locale';

export interface NoteAction {
  /** What is about to happen, e.g. "Approve the limit request". */
  readonly title: string;
  /** The figures to decide on, label and value. */
  readonly facts: readonly (readonly [string, string])[];
  /** One more thing the action needs besides the note (a date, a name), asked above it. */
  readonly input?: {
    readonly label: string;
    readonly type: 'date' | 'text' | 'select';
    readonly min?: string;
    /** For a choice: the values offered, each with its words. */
    readonly options?: readonly (readonly [string, string])[];
  };
  /** The fewest characters the note may have (a reason the server wants in full). */
  readonly noteMinLength?: number;
  readonly run: (note: string, value: string) => Promise<void>;
}

/** A decision with its figures beside it and the note it needs, confirmed in a dialog (not a browser prompt). */
export function NoteDialog({ action, onClose }: { action: NoteAction; onClose: () => void }) {
  const { t } = useLocale();
  const [note, setNote] = useState('');
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const confirm = async () => {
    if (action.input && !value.trim()) {
      setError(t('fieldRequired', { field: action.input.label }));
      return;
    }
    if (!note.trim()) {
      setError(t('noteRequired'));
      return;
    }
    if (action.noteMinLength && note.trim().length < action.noteMinLength) {
      setError(t('noteTooShort', { min: action.noteMinLength }));
      return;
    }
    setBusy(true);
    try {
      await action.run(note.trim(), value.trim());
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
      {action.input?.type === 'select' && (
        <select aria-label={action.input.label} value={value} onChange={(e) => setValue(e.target.value)}>
          <option value="">{action.input.label}</option>
          {action.input.options?.map(([option, words]) => (
            <option key={option} value={option}>
              {words}
            </option>
          ))}
        </select>
      )}
      {action.input && action.input.type !== 'select' && (
        <input
          aria-label={action.input.label}
          placeholder={action.input.label}
          type={action.input.type}
          min={action.input.min}
          value={value}
          onChange={(e) => setValue(e.target.value)}
        />
      )}
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
