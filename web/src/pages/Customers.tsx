import { useState } from 'react';
import { wordFor } from '../codes';
import { ExportButtons } from '../components/ExportButtons';
import { SavedViews } from '../components/SavedViews';
import { Table } from '../components/Table';
import { usePaged } from '../components/usePaged';
import { formatPercent } from '../i18n';
import { useLocale } from '../locale';

interface CustomerRow {
  id: string;
  externalId: string;
  name: string;
  country: string;
  currency: string;
  segment: string;
  salesOwner: string | null;
  collector: string | null;
}

/** The list's filters, as the API and a saved view take them. */
const FILTERS = ['search', 'segment', 'collector', 'minUtilisation', 'sort'] as const;
/** The utilisation shares offered: at least half used, three quarters, 90 %, all of it. */
const UTILISATION_FLOORS = ['0.5', '0.75', '0.9', '1'] as const;
type Filters = Partial<Record<(typeof FILTERS)[number], string>>;

function filtersOf(query: string): Filters {
  const params = new URLSearchParams(query);
  return Object.fromEntries(FILTERS.flatMap((k) => (params.get(k) ? [[k, params.get(k) as string]] : [])));
}

/** Customers, a page at a time: found by name, external id or registration id, by segment, by collector and by how much of their limit they use. */
export function Customers() {
  const { t, locale } = useLocale();
  const [filters, setFilters] = useState<Filters>({});
  const filterQuery = new URLSearchParams(filters as Record<string, string>).toString();
  const { page, pager } = usePaged<CustomerRow>('/v1/customers', filters as Record<string, string>);
  const set = (next: Filters) => setFilters(Object.fromEntries(Object.entries(next).filter(([, v]) => v)));
  return (
    <section className="card">
      <h2>{t('navCustomers')}</h2>
      <p>
        <ExportButtons
          path={`/v1/customers?${new URLSearchParams({ limit: '500', ...filters })}`}
          name="customers"
        />{' '}
        <ExportButtons path="/v1/invoices/export" name="invoices" label={t('invoiceLedger')} />
      </p>
      <div className="filters">
        <input
          type="search"
          placeholder={t('search')}
          value={filters.search ?? ''}
          onChange={(e) => set({ ...filters, search: e.target.value })}
        />{' '}
        <select
          aria-label={t('segment')}
          value={filters.segment ?? ''}
          onChange={(e) => set({ ...filters, segment: e.target.value })}
        >
          <option value="">{t('segmentAny')}</option>
          {['small', 'mid', 'large'].map((segment) => (
            <option key={segment} value={segment}>
              {wordFor(segment, locale)}
            </option>
          ))}
        </select>{' '}
        <select
          aria-label={t('whoseAccounts')}
          value={filters.collector ?? ''}
          onChange={(e) => set({ ...filters, collector: e.target.value })}
        >
          <option value="">{t('whoseEveryone')}</option>
          <option value="me">{t('whoseMine')}</option>
          <option value="none">{t('whoseNobody')}</option>
        </select>{' '}
        <select
          aria-label={t('utilisationAtLeast')}
          value={filters.minUtilisation ?? ''}
          onChange={(e) => set({ ...filters, minUtilisation: e.target.value })}
        >
          <option value="">{t('utilisationAny')}</option>
          {UTILISATION_FLOORS.map((floor) => (
            <option key={floor} value={floor}>
              {t('utilisationFloor', { share: formatPercent(Number(floor), locale) })}
            </option>
          ))}
        </select>{' '}
        <SavedViews page="customers" query={filterQuery} onApply={(saved) => set(filtersOf(saved))} />
      </div>
      {page.error && <p className="error">{page.error}</p>}
      <Table
        testId="customers"
        rows={page.data?.items ?? []}
        rowKey={(c) => c.id}
        sort={filters.sort}
        onSort={(sort) => set({ ...filters, sort })}
        columns={[
          {
            header: t('customer'),
            sortKey: 'name',
            cell: (c) => <a href={`#/customer/${c.id}`}>{c.name}</a>,
          },
          { header: 'ID', sortKey: 'externalId', cell: (c) => c.externalId },
          { header: t('country'), cell: (c) => c.country },
          { header: t('segment'), cell: (c) => wordFor(c.segment, locale) },
          { header: t('salesOwner'), cell: (c) => c.salesOwner ?? '—' },
          { header: t('collector'), cell: (c) => c.collector ?? '—' },
        ]}
      />
      {pager}
    </section>
  );
}
