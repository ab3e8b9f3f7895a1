import { type FormEvent, useState } from 'react';
import { api } from '../api';
import { wordFor } from '../codes';
import { formatMoney, toMinor } from '../i18n';
import { useLocale } from '../locale';
import { useCan } from '../me';
import { ActionCard, Input, Submit, useAction } from './ActionForm';
import { PaymentPlanForm } from './PaymentPlanForm';
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
    can('collections.work') && (
      <PaymentPlanForm key="plan" customerId={props.customerId} today={props.today} />
    ),
  ].filter(Boolean);
  if (forms.length === 0) return null;
  return (
    <section className="grid" data-testid="customer-actions">
      {forms}
    </section>
  );
}

/** A step of a step-wise release, as typed: its share and the milestones that release it. */
interface TierInput {
  share: string;
  onTime: string;
  months: string;
}

/** Half at once, the rest after three invoices paid on time over three clean months: a common start. */
const FIRST_TIERS: readonly TierInput[] = [
  { share: '50', onTime: '0', months: '0' },
  { share: '100', onTime: '3', months: '3' },
];

function LimitRequestForm({ customerId, currency, today }: FormProps) {
  const { t, locale } = useLocale();
  const [kind, setKind] = useState<'permanent' | 'temporary'>('permanent');
  const [amount, setAmount] = useState('');
  const [expiresOn, setExpiresOn] = useState('');
  const [reason, setReason] = useState('');
  const [tiers, setTiers] = useState<readonly TierInput[] | null>(null);
  const { message, busy, run } = useAction();
  const setTier = (index: number, field: keyof TierInput, value: string) =>
    setTiers(
      (before) => before?.map((tier, i) => (i === index ? { ...tier, [field]: value } : tier)) ?? null,
    );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      const amountMinor = toMinor(Number(amount), currency);
      const stepwise = kind === 'permanent' && tiers !== null;
      await api('/v1/limit-requests', {
        method: 'POST',
        body: {
          subjectType: 'customer',
          subjectId: customerId,
          kind,
          amountMinor,
          currency,
          ...(kind === 'temporary' ? { expiresOn } : {}),
          ...(stepwise
            ? {
                tiers: tiers.map((tier) => ({
                  sharePercent: Number(tier.share),
                  onTimeInvoices: Number(tier.onTime),
                  monthsClean: Number(tier.months),
                })),
              }
            : {}),
          reason,
        },
      });
      return t(stepwise ? 'limitRequestedInTiers' : 'limitRequested', {
        amount: formatMoney(amountMinor, currency, locale),
        count: tiers?.length ?? 0,
      });
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
      {kind === 'permanent' && (
        <label className="check">
          <input
            type="checkbox"
            checked={tiers !== null}
            onChange={(e) => setTiers(e.target.checked ? FIRST_TIERS : null)}
          />{' '}
          {t('releaseInTiers')}
        </label>
      )}
      {kind === 'permanent' && tiers && (
        <fieldset data-testid="tiers">
          <legend>{t('releaseInTiers')}</legend>
          {tiers.map((tier, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: a tier is its place in the list
            <div key={i} className="tier">
              <Input
                label={t('tierShare', { n: i + 1 })}
                unit="%"
                type="number"
                min="1"
                max="100"
                value={tier.share}
                onChange={(v) => setTier(i, 'share', v)}
              />
              <Input
                label={t('tierOnTime', { n: i + 1 })}
                type="number"
                min="0"
                value={tier.onTime}
                onChange={(v) => setTier(i, 'onTime', v)}
              />
              <Input
                label={t('tierMonths', { n: i + 1 })}
                type="number"
                min="0"
                max="120"
                value={tier.months}
                onChange={(v) => setTier(i, 'months', v)}
              />
              {tiers.length > 1 && (
                <button
                  type="button"
                  className="link"
                  onClick={() => setTiers(tiers.filter((_, j) => j !== i))}
                >
                  {t('remove')}
                </button>
              )}
            </div>
          ))}
          {tiers.length < 10 && (
            <button
              type="button"
              onClick={() => setTiers([...tiers, { share: '100', onTime: '6', months: '6' }])}
            >
              {t('addTier')}
            </button>
          )}
        </fieldset>
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
