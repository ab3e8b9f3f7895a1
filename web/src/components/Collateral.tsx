import { useState } from 'react';
import { api } from '../api';
import { formatDate, formatMoney, type MessageKey, toMinor } from '../i18n';
import { useLocale } from '../locale';
import { Status } from './Status';
import { Table } from './Table';
import { useApi } from './useApi';

interface Security {
  id: string;
  kind: string;
  issuer: string;
  reference: string;
  amountMinor: number;
  currency: string;
  validFrom: string;
  expiresOn: string;
  releasedOn: string | null;
}

const KINDS = ['letter_of_credit', 'bank_guarantee', 'parent_guarantee', 'other'] as const;

/** A customer's letters of credit and guarantees: record one, give one back. */
export function Collateral({
  customerId,
  currency,
  today,
}: {
  customerId: string;
  currency: string;
  today: string;
}) {
  const { t, locale } = useLocale();
  const list = useApi<{ items: Security[] }>(`/v1/customers/${customerId}/collateral`);
  const [kind, setKind] = useState<string>('bank_guarantee');
  const [issuer, setIssuer] = useState('');
  const [reference, setReference] = useState('');
  const [amount, setAmount] = useState('');
  const [expiresOn, setExpiresOn] = useState('');
  const [message, setMessage] = useState<string | null>(null);

  const record = async () => {
    const major = Number(amount);
    if (!issuer.trim() || !reference.trim() || !(major > 0) || !expiresOn) {
      setMessage(t('collateralIncomplete'));
      return;
    }
    try {
      await api(`/v1/customers/${customerId}/collateral`, {
        method: 'POST',
        body: {
          kind,
          issuer,
          reference,
          amountMinor: toMinor(major, currency),
          currency,
          validFrom: today,
          expiresOn,
        },
      });
      setMessage(t('collateralRecorded'));
      setIssuer('');
      setReference('');
      setAmount('');
    } catch (e) {
      setMessage(`${t('error')}: ${(e as Error).message}`);
    }
  };
  const release = async (s: Security) => {
    try {
      await api(`/v1/collateral/${s.id}/release`, { method: 'POST' });
      setMessage(`${t('collateralReleased')}: ${s.reference}`);
    } catch (e) {
      setMessage(`${t('error')}: ${(e as Error).message}`);
    }
  };
  return (
    <div className="card" data-testid="collateral">
      <h3>{t('collateral')}</h3>
      {list.data && (
        <Table
          rows={list.data.items}
          rowKey={(s) => s.id}
          columns={[
            { header: t('kind'), cell: (s) => t(`collateral_${s.kind}` as MessageKey) },
            { header: t('issuer'), cell: (s) => `${s.issuer} · ${s.reference}` },
            {
              header: t('amount'),
              cell: (s) => formatMoney(s.amountMinor, s.currency, locale),
              numeric: true,
            },
            { header: t('expires'), cell: (s) => formatDate(s.expiresOn, locale) },
            {
              header: '',
              cell: (s) =>
                s.releasedOn ? (
                  `${t('returnedOn')} ${formatDate(s.releasedOn, locale)}`
                ) : s.expiresOn < today ? (
                  t('expired')
                ) : (
                  <button type="button" className="link" onClick={() => release(s)}>
                    {t('giveBack')}
                  </button>
                ),
            },
          ]}
        />
      )}
      <div className="filters">
        <select aria-label={t('kind')} value={kind} onChange={(e) => setKind(e.target.value)}>
          {KINDS.map((k) => (
            <option key={k} value={k}>
              {t(`collateral_${k}`)}
            </option>
          ))}
        </select>
        <input
          aria-label={t('issuer')}
          placeholder={t('issuer')}
          value={issuer}
          onChange={(e) => setIssuer(e.target.value)}
        />
        <input
          aria-label={t('reference')}
          placeholder={t('reference')}
          value={reference}
          onChange={(e) => setReference(e.target.value)}
        />
        <input
          aria-label={t('amount')}
          placeholder={`${t('amount')} (${currency})`}
          inputMode="decimal"
          value={amount}
          onChange={(e) => setAmount(e.target.value)}
        />
        <input
          type="date"
          aria-label={t('expires')}
          value={expiresOn}
          onChange={(e) => setExpiresOn(e.target.value)}
        />
        <button type="button" onClick={record}>
          {t('recordCollateral')}
        </button>
      </div>
      <Status message={message} />
    </div>
  );
}
