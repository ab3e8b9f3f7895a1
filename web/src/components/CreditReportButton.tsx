import { useState } from 'react';
import { download } from '../api';
import { useLocale } from '../locale';

/** The customer's credit report as a PDF, in the language the page is in. */
export function CreditReportButton({ customerId, externalId }: { customerId: string; externalId: string }) {
  const { t, locale } = useLocale();
  const [error, setError] = useState<string | null>(null);
  const get = () =>
    download(`/v1/customers/${customerId}/credit-report`, `credit-report-${externalId}.pdf`, locale).catch(
      (e: Error) => setError(e.message),
    );
  return (
    <span className="exports">
      <button type="button" className="link" data-testid="credit-report" onClick={get}>
        {t('creditReportPdf')}
      </button>
      {error && <span className="error"> {error}</span>}
    </span>
  );
}
