import { useState } from 'react';
import { CONTESTABLE_OUTCOMES } from '../../../src/core/policy/decision-notice';
import { api } from '../api';
import { wordFor } from '../codes';
import { formatDate, formatMoney } from '../i18n';
import { useLocale } from '../locale';
import { useCan } from '../me';
import { type NoteAction, NoteDialog } from './NoteDialog';

export interface DecidedOrder {
  id: string;
  externalId: string;
  orderedOn: string;
  amountMinor: number;
  currency: string;
  decision: { outcome: string } | null;
}

/**
 * Contest an order's decision from the 360 (G5): anything short of approval as placed may be put
 * to a second reviewer with the customer's grounds; the case waits in Reviews.
 */
export function useContest() {
  const { t, locale } = useLocale();
  const can = useCan();
  const [action, setAction] = useState<NoteAction | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const contest = (order: DecidedOrder) =>
    setAction({
      title: t('contestDecision'),
      facts: [
        [t('order'), order.externalId],
        [t('date'), formatDate(order.orderedOn, locale)],
        [t('amount'), formatMoney(order.amountMinor, order.currency, locale)],
        [t('outcome'), wordFor(order.decision?.outcome, locale)],
      ],
      run: async (grounds) => {
        await api(`/v1/orders/${order.id}/contest`, { method: 'POST', body: { grounds } });
        setMessage(t('decisionContested', { order: order.externalId }));
      },
    });
  const button = (order: DecidedOrder) =>
    can('reviews.open') &&
    order.decision &&
    (CONTESTABLE_OUTCOMES as readonly string[]).includes(order.decision.outcome) ? (
      <button type="button" className="link" onClick={() => contest(order)}>
        {t('contest')}
      </button>
    ) : null;
  const dialog = action && <NoteDialog action={action} onClose={() => setAction(null)} />;
  return { button, dialog, message };
}
