import { type FormEvent, type ReactNode, useState } from 'react';
import type { MessageKey } from '../i18n';
import { useLocale } from '../locale';

/** The kit every action form is made of: a card with its button and status, labelled inputs. */

/** One action's card: its form, a status line after it ran, an error in words. */
export function ActionCard({
  title,
  testId,
  onSubmit,
  children,
  submit,
  message,
}: {
  title: MessageKey;
  testId: string;
  onSubmit: (event: FormEvent) => void;
  children: ReactNode;
  submit: ReactNode;
  message: ReactNode;
}) {
  const { t } = useLocale();
  return (
    <form className="card form" data-testid={testId} onSubmit={onSubmit}>
      <h3>{t(title)}</h3>
      {children}
      <div className="actions">{submit}</div>
      {message}
    </form>
  );
}

/** A field of an action's form: its label, then the input (labelled for screen readers too). */
export function Input({
  label,
  unit,
  value,
  onChange,
  type = 'text',
  min,
  max,
  step = '1',
  optional = false,
}: {
  label: string;
  /** Shown after the label (an amount's currency, a percent sign). */
  unit?: string;
  value: string;
  onChange: (value: string) => void;
  /** An amount takes cents; a number is whole. */
  type?: 'text' | 'date' | 'amount' | 'number';
  min?: string;
  max?: string;
  /** A number's step: whole by default. */
  step?: string;
  optional?: boolean;
}) {
  const amount = type === 'amount';
  return (
    <label>
      {label}
      {unit ? ` (${unit})` : ''}{' '}
      <input
        required={!optional}
        type={amount ? 'number' : type}
        min={amount ? '0.01' : min}
        max={max}
        step={amount ? '0.01' : type === 'number' ? step : undefined}
        aria-label={label}
        value={value}
        onChange={(e) => onChange(e.target.value)}
      />
    </label>
  );
}

/** An action's main button, off while it runs. */
export function Submit({ busy, label }: { busy: boolean; label: string }) {
  return (
    <button type="submit" className="primary" disabled={busy}>
      {label}
    </button>
  );
}

/** Runs an action, turning its failure into words. */
export function useAction() {
  const { t } = useLocale();
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async (action: () => Promise<string>) => {
    setBusy(true);
    try {
      setMessage(await action());
    } catch (e) {
      setMessage(`${t('error')}: ${(e as Error).message}`);
    } finally {
      setBusy(false);
    }
  };
  return { message, busy, run };
}
