import { type FormEvent, useState } from 'react';
import { api } from '../api';
import { formatDate, formatMoney } from '../i18n';
import { useLocale } from '../locale';
import { ActionCard, Input, Submit, useAction } from './ActionForm';
import { Status } from './Status';
import { useApi } from './useApi';

interface OpenInvoice {
  id: string;
  invoiceNumber: string;
  dueDate: string;
  openMinor: number;
  currency: string;
}

/**
 * Agree a payment plan from the customer 360 (E5): the overdue invoices it covers (all of them
 * ticked to start with), how many instalments from which day, interest and whether new orders wait
 * until it is kept — dunning pauses while it is.
 */
export function PaymentPlanForm({ customerId, today }: { customerId: string; today: string }) {
  const { t, locale } = useLocale();
  // The same answers the 360's tables read: one request for both.
  const invoices = useApi<{ items: OpenInvoice[] }>(`/v1/invoices?customerId=${customerId}&limit=500`);
  const plans = useApi<{ items: { status: string; invoiceIds: string[] }[] }>(
    `/v1/payment-plans?customerId=${customerId}&limit=500`,
  );
  // An invoice in a plan being kept is not offered again.
  const planned = new Set(
    (plans.data?.items ?? []).filter((p) => p.status === 'active').flatMap((p) => p.invoiceIds),
  );
  const overdue = (invoices.data?.items ?? []).filter(
    (i) => i.openMinor > 0 && i.dueDate < today && !planned.has(i.id),
  );
  const [unticked, setUnticked] = useState<ReadonlySet<string>>(new Set());
  const [instalments, setInstalments] = useState('3');
  const [firstDueOn, setFirstDueOn] = useState('');
  const [intervalDays, setIntervalDays] = useState('30');
  const [rate, setRate] = useState('0');
  const [freezeSupply, setFreezeSupply] = useState(false);
  const [note, setNote] = useState('');
  const { message, busy, run } = useAction();
  const chosen = overdue.filter((i) => !unticked.has(i.id));
  const toggle = (id: string) =>
    setUnticked((before) => {
      const next = new Set(before);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      if (chosen.length === 0) throw new Error(t('pickInvoices'));
      const plan = await api<{ totalMinor: number; currency: string; instalments: unknown[] }>(
        `/v1/customers/${customerId}/payment-plans`,
        {
          method: 'POST',
          body: {
            invoiceIds: chosen.map((i) => i.id),
            instalments: Number(instalments),
            firstDueOn,
            intervalDays: Number(intervalDays),
            annualRatePercent: Number(rate),
            freezeSupply,
            note,
          },
        },
      );
      return t('planAgreed', {
        count: plan.instalments.length,
        total: formatMoney(plan.totalMinor, plan.currency, locale),
        date: formatDate(firstDueOn, locale),
      });
    });
  };
  // Once a plan covers the last of them the card stays, with what was agreed.
  if (overdue.length === 0 && !message) return null;
  if (overdue.length === 0)
    return (
      <ActionCard
        title="agreePlan"
        testId="payment-plan-form"
        onSubmit={(event) => event.preventDefault()}
        submit={null}
        message={<Status message={message} />}
      >
        <p className="muted">{t('nothingToPlan')}</p>
      </ActionCard>
    );
  return (
    <ActionCard
      title="agreePlan"
      testId="payment-plan-form"
      onSubmit={submit}
      submit={<Submit busy={busy} label={t('agreePlan')} />}
      message={<Status message={message} />}
    >
      <fieldset>
        <legend>{t('overdueInvoices')}</legend>
        {overdue.map((i) => (
          <label key={i.id} className="check">
            <input type="checkbox" checked={!unticked.has(i.id)} onChange={() => toggle(i.id)} />{' '}
            {i.invoiceNumber} · {formatDate(i.dueDate, locale)} ·{' '}
            {formatMoney(i.openMinor, i.currency, locale)}
          </label>
        ))}
      </fieldset>
      <Input
        label={t('instalments')}
        type="number"
        min="1"
        max="60"
        value={instalments}
        onChange={setInstalments}
      />
      <Input label={t('firstDueOn')} type="date" min={today} value={firstDueOn} onChange={setFirstDueOn} />
      <Input
        label={t('intervalDays')}
        type="number"
        min="1"
        max="366"
        value={intervalDays}
        onChange={setIntervalDays}
      />
      <Input
        label={t('annualRate')}
        unit="%"
        type="number"
        step="0.01"
        min="0"
        max="100"
        value={rate}
        onChange={setRate}
      />
      <label className="check">
        <input type="checkbox" checked={freezeSupply} onChange={(e) => setFreezeSupply(e.target.checked)} />{' '}
        {t('freezeSupply')}
      </label>
      <Input label={t('note')} value={note} onChange={setNote} />
    </ActionCard>
  );
}
