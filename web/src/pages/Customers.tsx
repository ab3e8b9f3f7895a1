import { useState } from 'react';
import { ExportButtons } from '../components/ExportButtons';
import { Table } from '../components/Table';
import { useApi } from '../components/useApi';
import { useLocale } from '../locale';

interface Customer {
  id: string;
  externalId: string;
  name: string;
  country: string;
  currency: string;
  segment: string;
  salesOwner: string | null;
}
interface Page {
  items: Customer[];
  nextCursor: string | null;
}

/** Customers, a page at a time, searchable by name. */
export function Customers() {
  const { t } = useLocale();
  const [name, setName] = useState('');
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors.at(-1);
  const query = new URLSearchParams({
    limit: '50',
    ...(name ? { name } : {}),
    ...(cursor ? { cursor } : {}),
  });
  const page = useApi<Page>(`/v1/customers?${query}`);
  return (
    <section className="card">
      <h2>{t('navCustomers')}</h2>
      <p>
        <ExportButtons
          path={`/v1/customers?${new URLSearchParams({ limit: '500', ...(name ? { name } : {}) })}`}
          name="customers"
        />{' '}
        <ExportButtons path="/v1/invoices/export" name="invoices" label={t('invoiceLedger')} />
      </p>
      <input
        type="search"
        placeholder={t('search')}
        value={name}
        onChange={(e) => {
          setName(e.target.value);
          setCursors([]);
        }}
      />
      {page.error && <p className="error">{page.error}</p>}
      <Table
        testId="customers"
        rows={page.data?.items ?? []}
        rowKey={(c) => c.id}
        columns={[
          { header: t('customer'), cell: (c) => <a href={`#/customer/${c.id}`}>{c.name}</a> },
          { header: 'ID', cell: (c) => c.externalId },
          { header: t('country'), cell: (c) => c.country },
          { header: t('segment'), cell: (c) => c.segment },
          { header: t('salesOwner'), cell: (c) => c.salesOwner ?? '—' },
        ]}
      />
      <div className="pager">
        <button
          type="button"
          disabled={cursors.length === 0}
          onClick={() => setCursors(cursors.slice(0, -1))}
        >
          {t('previous')}
        </button>
        <button
          type="button"
          disabled={!page.data?.nextCursor}
          onClick={() => page.data?.nextCursor && setCursors([...cursors, page.data.nextCursor])}
        >
          {t('next')}
        </button>
      </div>
    </section>
  );
}
