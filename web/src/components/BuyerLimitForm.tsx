import { useState } from 'react';
import { api } from '../api';
import { type MessageKey, toMinor } from '../i18n';
import { useLocale } from '../locale';
import { Status } from './Status';
import { useApi } from './useApi';

const STATUSES = ['requested', 'approved', 'partially_approved', 'reduced', 'refused', 'cancelled'] as const;

/** Records an application to the insurer, or its decision on a buyer found by name. */
export function BuyerLimitForm({
  policyId,
  currency,
  today,
}: {
  policyId: string;
  currency: string;
  today: string;
}) {
  const { t } = useLocale();
  const [name, setName] = useState('');
  const [status, setStatus] = useState<string>('approved');
  const [amount, setAmount] = useState('');
  const [effectiveOn, setEffectiveOn] = useState(today);
  const [message, setMessage] = useState<string | null>(null);
  const found = useApi<{ items: { id: string; name: string }[] }>(
    name.trim().length >= 2 ? `/v1/customers?limit=10&name=${encodeURIComponent(name.trim())}` : null,
  );
  const match =
    found.data?.items.find((c) => c.name === name.trim()) ??
    (found.data?.items.length === 1 ? found.data.items[0] : undefined);
  const grants = status === 'approved' || status === 'partially_approved' || status === 'reduced';

  const record = async () => {
    if (!match) {
      setMessage(t('pickBuyer'));
      return;
    }
    const minor = amount.trim() ? toMinor(Number(amount), currency) : null;
    try {
      await api(`/v1/insurance-policies/${policyId}/buyer-limits`, {
        method: 'POST',
        body: {
          customerId: match.id,
          status,
          effectiveOn,
          ...(status === 'requested' && { requestedMinor: minor }),
          ...(grants && { approvedMinor: minor }),
        },
      });
      setMessage(`${t('decisionRecorded')}: ${match.name}`);
      setAmount('');
    } catch (e) {
      setMessage(`${t('error')}: ${(e as Error).message}`);
    }
  };
  return (
    <div className="filters" data-testid="buyer-limit-form">
      <input
        aria-label={t('customer')}
        placeholder={t('customer')}
        list="buyer-names"
        value={name}
        onChange={(e) => setName(e.target.value)}
      />
      <datalist id="buyer-names">
        {found.data?.items.map((c) => (
          <option key={c.id} value={c.name} />
        ))}
      </datalist>
      <select aria-label={t('state')} value={status} onChange={(e) => setStatus(e.target.value)}>
        {STATUSES.map((s) => (
          <option key={s} value={s}>
            {t(`limit_${s}` as MessageKey)}
          </option>
        ))}
      </select>
      <input
        aria-label={t('amount')}
        placeholder={`${t('amount')} (${currency})`}
        inputMode="decimal"
        value={amount}
        disabled={!grants && status !== 'requested'}
        onChange={(e) => setAmount(e.target.value)}
      />
      <input
        type="date"
        aria-label={t('effectiveOn')}
        value={effectiveOn}
        onChange={(e) => setEffectiveOn(e.target.value)}
      />
      <button type="button" onClick={record}>
        {t('recordDecision')}
      </button>
      <Status message={message} />
    </div>
  );
}
