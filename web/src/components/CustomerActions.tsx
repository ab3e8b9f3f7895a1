import { type FormEvent, type ReactNode, useState } from 'react';
import { api } from '../api';
import { wordFor } from '../codes';
import { formatMoney, type MessageKey, toMinor } from '../i18n';
import { useLocale } from '../locale';
import { useCan } from '../me';
import { Reasons } from './Reasons';
import { Status } from './Status';

interface Decision {
  outcome: string;
  reasons: { code: string; outcome: string; message: string }[];
}

/** What every action's form is given: whose, in which currency and today. */
interface FormProps {
  readonly customerId: string;
  readonly currency: string;
  readonly today: string;
}

/**
 * What one does from a customer's 360 (H1, "act where you look"): ask for a limit change, check or
 * place an order, record a promise to pay — each offered only to a role that may do it, each
 * answered in words on the spot (the page's figures read again after, as after any change).
 */
export function CustomerActions(props: FormProps) {
  const can = useCan();
  const forms = [
    can('limits.request') && <LimitRequestForm key="limit" {...props} />,
    can('orders.place') && <OrderForm key="order" {...props} />,
    can('promises.write') && <PromiseForm key="promise" {...props} />,
  ].filter(Boolean);
  if (forms.length === 0) return null;
  return (
    <section className="grid" data-testid="customer-actions">
      {forms}
    </section>
  );
}

/** One action's card: its form, a status line after it ran, an error in words. */
function ActionCard({
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
function Input({
  label,
  unit,
  value,
  onChange,
  type = 'text',
  min,
}: {
  label: string;
  /** Shown after the label (an amount's currency). */
  unit?: string;
  value: string;
  onChange: (value: string) => void;
  type?: 'text' | 'date' | 'amount';
  min?: string;
}) {
  const amount = type === 'amount';
  return (
    <label>
      {label}
      {unit ? ` (${unit})` : ''}{' '}
      <input
        required
        type={amount ? 'number' : type}
        min={amount ? '0.01' : min}
        step={amount ? '0.01' : undefined}
        aria-label={label}
        value={value}
        onChange={(e) => onChange(e.target.value)}
      />
    </label>
  );
}

/** An action's main button, off while it runs. */
function Submit({ busy, label }: { busy: boolean; label: string }) {
  return (
    <button type="submit" className="primary" disabled={busy}>
      {label}
    </button>
  );
}

/** Runs an action, turning its failure into words. */
function useAction() {
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

function LimitRequestForm({ customerId, currency, today }: FormProps) {
  const { t, locale } = useLocale();
  const [kind, setKind] = useState<'permanent' | 'temporary'>('permanent');
  const [amount, setAmount] = useState('');
  const [expiresOn, setExpiresOn] = useState('');
  const [reason, setReason] = useState('');
  const { message, busy, run } = useAction();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      const amountMinor = toMinor(Number(amount), currency);
      await api('/v1/limit-requests', {
        method: 'POST',
        body: {
          subjectType: 'customer',
          subjectId: customerId,
          kind,
          amountMinor,
          currency,
          ...(kind === 'temporary' ? { expiresOn } : {}),
          reason,
        },
      });
      return t('limitRequested', { amount: formatMoney(amountMinor, currency, locale) });
    });
  };
  return (
    <ActionCard
      title="requestLimitChange"
      testId="limit-request-form"
      onSubmit={submit}
      submit={<Submit busy={busy} label={t('sendRequest')} />}
      message={<Status message={message} />}
    >
      <label>
        {t('kind')}{' '}
        <select value={kind} aria-label={t('kind')} onChange={(e) => setKind(e.target.value as typeof kind)}>
          <option value="permanent">{t('permanent')}</option>
          <option value="temporary">{t('temporary')}</option>
        </select>
      </label>
      <Input label={t('newLimit')} unit={currency} type="amount" value={amount} onChange={setAmount} />
      {kind === 'temporary' && (
        <Input label={t('expiresOn')} type="date" min={today} value={expiresOn} onChange={setExpiresOn} />
      )}
      <Input label={t('reason')} value={reason} onChange={setReason} />
    </ActionCard>
  );
}

function OrderForm({ customerId, currency }: FormProps) {
  const { t, locale } = useLocale();
  const [amount, setAmount] = useState('');
  const [reference, setReference] = useState('');
  const [decision, setDecision] = useState<Decision | null>(null);
  const { message, busy, run } = useAction();
  // The what-if check writes nothing; placing the order records it and its decision.
  const send = (place: boolean) =>
    run(async () => {
      const amountMinor = toMinor(Number(amount), currency);
      const body = { customerId, amountMinor, currency };
      if (!place) {
        const checked = await api<{ decision: Decision }>('/v1/orders/check', { method: 'POST', body });
        setDecision(checked.decision);
        return t('orderChecked', { outcome: wordFor(checked.decision.outcome, locale) });
      }
      const placed = await api<{ status: string; decision: Decision | null }>('/v1/orders', {
        method: 'POST',
        body: { ...body, externalId: reference },
      });
      setDecision(placed.decision);
      return t('orderPlaced', { reference, status: wordFor(placed.status, locale) });
    });
  return (
    <ActionCard
      title="orderOnCredit"
      testId="order-form"
      onSubmit={(event) => {
        event.preventDefault();
        void send(true);
      }}
      submit={
        <>
          <button type="button" disabled={busy || !amount} onClick={() => void send(false)}>
            {t('checkOnly')}
          </button>
          <Submit busy={busy} label={t('placeOrder')} />
        </>
      }
      message={
        <>
          <Status message={message} />
          {decision && <Reasons reasons={decision.reasons} />}
        </>
      }
    >
      <Input label={t('amount')} unit={currency} type="amount" value={amount} onChange={setAmount} />
      <Input label={t('orderReference')} value={reference} onChange={setReference} />
    </ActionCard>
  );
}

function PromiseForm({ customerId, currency, today }: FormProps) {
  const { t, locale } = useLocale();
  const [amount, setAmount] = useState('');
  const [promisedOn, setPromisedOn] = useState('');
  const [promisedBy, setPromisedBy] = useState('');
  const { message, busy, run } = useAction();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      const amountMinor = toMinor(Number(amount), currency);
      await api(`/v1/customers/${customerId}/promises`, {
        method: 'POST',
        body: { amountMinor, currency, promisedOn, promisedBy },
      });
      return t('promiseRecorded', { amount: formatMoney(amountMinor, currency, locale) });
    });
  };
  return (
    <ActionCard
      title="recordPromise"
      testId="promise-form"
      onSubmit={submit}
      submit={<Submit busy={busy} label={t('recordPromise')} />}
      message={<Status message={message} />}
    >
      <Input label={t('amount')} unit={currency} type="amount" value={amount} onChange={setAmount} />
      <Input label={t('promisedOn')} type="date" min={today} value={promisedOn} onChange={setPromisedOn} />
      <Input label={t('promisedBy')} value={promisedBy} onChange={setPromisedBy} />
    </ActionCard>
  );
}
