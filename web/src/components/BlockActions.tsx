import { useState } from 'react';
import { BLOCK_REASONS } from '../../../src/core/collections/blocks';
import { api } from '../api';
import { wordFor } from '../codes';
import { useLocale } from '../locale';
import { useCan } from '../me';
import { type NoteAction, NoteDialog } from './NoteDialog';

interface ActiveBlock {
  readonly id: string;
  readonly kind: string;
  readonly status: string;
}

/**
 * Blocks from the customer 360 (E6): blacklist (no credit until lifted) or end the relationship
 * (collection runs to the end), with the reason and a note; a block lifted with its note — by
 * someone other than whoever blocked, once its conditions hold (the server says which do not).
 */
export function useBlockActions(customerId: string) {
  const { t, locale } = useLocale();
  const can = useCan();
  const [action, setAction] = useState<NoteAction | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const block = (kind: 'blacklist' | 'exit') =>
    setAction({
      title: t(kind === 'blacklist' ? 'blacklistCustomer' : 'endRelationship'),
      facts: [[t('kind'), wordFor(kind, locale)]],
      input: {
        label: t('reason'),
        type: 'select',
        options: BLOCK_REASONS.map((r) => [r, wordFor(r, locale)]),
      },
      run: async (note, reasonCode) => {
        await api(`/v1/customers/${customerId}/blocks`, { method: 'POST', body: { kind, reasonCode, note } });
        setMessage(t('customerBlocked', { kind: wordFor(kind, locale) }));
      },
    });
  const lift = (b: ActiveBlock) =>
    setAction({
      title: t('liftBlock'),
      facts: [[t('kind'), wordFor(b.kind, locale)]],
      run: async (note) => {
        await api(`/v1/customer-blocks/${b.id}/lift`, { method: 'POST', body: { note } });
        setMessage(t('blockLifted'));
      },
    });
  return {
    dialog: action && <NoteDialog action={action} onClose={() => setAction(null)} />,
    message,
    blockButtons: can('blocks.write') ? (
      <span className="actions">
        <button type="button" className="link" onClick={() => block('blacklist')}>
          {t('blacklistCustomer')}
        </button>
        <button type="button" className="link" onClick={() => block('exit')}>
          {t('endRelationship')}
        </button>
      </span>
    ) : null,
    liftButton: (b: ActiveBlock) =>
      can('blocks.lift') && b.status === 'active' ? (
        <button type="button" className="link" onClick={() => lift(b)}>
          {t('liftBlock')}
        </button>
      ) : null,
  };
}
