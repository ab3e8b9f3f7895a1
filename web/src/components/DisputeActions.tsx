import { useContext, useState } from 'react';
import { DISPUTE_REASONS, DISPUTE_RESOLUTIONS } from '../../../src/core/collections/dispute';
import { api } from '../api';
import { wordFor } from '../codes';
import { formatDate, formatMoney } from '../i18n';
import { useLocale } from '../locale';
import { MeCtx, useCan } from '../me';
import { type NoteAction, NoteDialog } from './NoteDialog';

/** Days a dispute is given before it is due for an answer. */
const DISPUTE_DAYS = 14;

interface OpenInvoice {
  readonly id: string;
  readonly invoiceNumber: string;
  readonly openMinor: number;
  readonly currency: string;
  readonly dueDate: string;
}
interface OpenDispute {
  readonly id: string;
  readonly amountMinor: number;
  readonly currency: string;
  readonly reason: string;
  readonly status: string;
}

/**
 * Disputes from the customer 360 (E4): an open invoice's open amount disputed with its reason (the
 * person opening it owns it, due in two weeks; dunning leaves it alone meanwhile), and an open
 * dispute resolved by a credit note, as valid or by a write-off — each with its note, in a dialog.
 */
export function useDisputeActions(today: string) {
  const { t, locale } = useLocale();
  const can = useCan();
  const me = useContext(MeCtx);
  const [action, setAction] = useState<NoteAction | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const may = can('disputes.write');
  const due = new Date(Date.parse(`${today}T00:00:00Z`) + DISPUTE_DAYS * 86_400_000)
    .toISOString()
    .slice(0, 10);
  const open = (invoice: OpenInvoice) =>
    setAction({
      title: t('openDispute'),
      facts: [
        [t('invoice'), invoice.invoiceNumber],
        [t('open'), formatMoney(invoice.openMinor, invoice.currency, locale)],
        [t('due'), formatDate(invoice.dueDate, locale)],
        [t('answerBy'), formatDate(due, locale)],
      ],
      input: {
        label: t('reason'),
        type: 'select',
        options: DISPUTE_REASONS.map((r) => [r, wordFor(r, locale)]),
      },
      run: async (note, reason) => {
        await api(`/v1/invoices/${invoice.id}/disputes`, {
          method: 'POST',
          body: { amountMinor: invoice.openMinor, reason, note, owner: me?.name ?? 'credit', dueOn: due },
        });
        setMessage(t('disputeOpened', { invoice: invoice.invoiceNumber }));
      },
    });
  const resolve = (dispute: OpenDispute) =>
    setAction({
      title: t('resolveDispute'),
      facts: [
        [t('amount'), formatMoney(dispute.amountMinor, dispute.currency, locale)],
        [t('reason'), wordFor(dispute.reason, locale)],
      ],
      input: {
        label: t('resolution'),
        type: 'select',
        options: DISPUTE_RESOLUTIONS.map((r) => [r, wordFor(r, locale)]),
      },
      run: async (note, resolution) => {
        await api(`/v1/disputes/${dispute.id}/resolve`, { method: 'POST', body: { resolution, note } });
        setMessage(t('disputeResolved', { resolution: wordFor(resolution, locale) }));
      },
    });
  const dialog = action && <NoteDialog action={action} onClose={() => setAction(null)} />;
  return {
    dialog,
    message,
    openButton: (invoice: OpenInvoice) =>
      may ? (
        <button type="button" className="link" onClick={() => open(invoice)}>
          {t('dispute')}
        </button>
      ) : null,
    resolveButton: (dispute: OpenDispute) =>
      may && dispute.status === 'open' ? (
        <button type="button" className="link" onClick={() => resolve(dispute)}>
          {t('resolve')}
        </button>
      ) : null,
  };
}
