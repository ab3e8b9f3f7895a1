import { useState } from 'react';
import { download } from '../api';
import { useLocale } from '../locale';

/** A PDF the server sets (a report, a statement, a letter), fetched with the session in the page's language. */
export function PdfButton({
  path,
  fileName,
  label,
  testId,
}: {
  path: string;
  fileName: string;
  label: string;
  testId?: string;
}) {
  const { locale } = useLocale();
  const [error, setError] = useState<string | null>(null);
  const get = () => download(path, fileName, locale).catch((e: Error) => setError(e.message));
  return (
    <span className="exports">
      <button type="button" className="link" data-testid={testId} onClick={get}>
        {label}
      </button>
      {error && <span className="error"> {error}</span>}
    </span>
  );
}
