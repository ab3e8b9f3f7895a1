import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login } from '../../src/app/auth/sessions.js';
import { listRatingOverrides, ratingMigrationBetween } from '../../src/app/scoring/ratings.js';
import type { Services } from '../../src/app/services.js';
import { ROLES } from '../../src/core/access/roles.js';
import { riskClassOfGrade } from '../../src/core/rating/master-scale.js';
import { addMonths, type BusinessDate, daysBetween, monthEnd } from '../../src/core/time/business-date.js';
import { DEFAULT_DEMO, type DemoBook, generateDemoBook } from '../../src/demo/generate.js';
import { isBookEmpty, seedDemoBook } from '../../src/demo/seed.js';
import { DEMO_PASSWORD } from '../../src/demo/users.js';
import { expectLedgerBalances } from '../support/invariants.js';
import { DIALECTS, freshStore, type TestStore, testServices } from '../support/stores.js';

const AS_OF = '2026-03-31' as BusinessDate;

describe('the demo book generator', () => {
  let book: DemoBook;
  beforeAll(() => {
    book = generateDemoBook({ ...DEFAULT_DEMO, asOf: AS_OF as never });
  });

  it('is deterministic for a seed and differs for another', () => {
    const again = generateDemoBook({ ...DEFAULT_DEMO, asOf: AS_OF as never });
    expect(again).toEqual(book);
    const other = generateDemoBook({ ...DEFAULT_DEMO, seed: 7, asOf: AS_OF as never });
    expect(other.customers.map((c) => c.name)).not.toEqual(book.customers.map((c) => c.name));
  });

  it('has about 500 customers across segments, currencies, groups and behaviours', () => {
    const share = (predicate: (c: DemoBook['customers'][number]) => boolean) =>
      book.customers.filter(predicate).length / book.customers.length;
    expect(book.customers).toHaveLength(500);
    expect(new Set(book.customers.map((c) => c.name)).size).toBe(500);
    expect(share((c) => c.currency === 'CNY')).toBeGreaterThan(0.7);
    expect(share((c) => c.currency === 'USD')).toBeGreaterThan(0.03);
    expect(share((c) => c.currency === 'EUR')).toBeGreaterThan(0.01);
    for (const segment of ['small', 'mid', 'large'])
      expect(share((c) => c.segment === segment)).toBeGreaterThan(0.05);
    for (const behaviour of ['prompt', 'slow', 'seasonal', 'deteriorating', 'disputer', 'partial']) {
      expect(
        share((c) => c.behaviour === behaviour),
        behaviour,
      ).toBeGreaterThan(0.02);
    }
    expect(share((c) => c.groupExternalId !== null)).toBeGreaterThan(0.2);
    expect(book.customers.some((c) => /有限公司$/.test(c.name))).toBe(true);
    expect(book.customers.some((c) => /(Inc\.|GmbH|Ltd\.|B\.V\.)$/.test(c.name))).toBe(true);
  });

  it('spans 24 months of orders with 30/60/90-day terms, ending at the as-of date', () => {
    const dates = book.orders.map((o) => o.orderedOn).sort();
    expect(daysBetween(dates[0] as never, AS_OF as never)).toBeGreaterThan(700);
    expect((dates.at(-1) ?? '') <= AS_OF).toBe(true);
    const terms = new Set(book.invoices.map((i) => daysBetween(i.issueDate, i.dueDate)));
    expect([...terms].sort()).toEqual([30, 60, 90]);
    expect(book.orders.some((o) => o.status === 'open')).toBe(true);
    expect(book.orders.some((o) => o.status === 'shipped')).toBe(true);
  });

  it('leaves the traces of each behaviour: late payment, partial payment, disputes, defaults', () => {
    const byCustomer = new Map(book.customers.map((c) => [c.externalId, c.behaviour]));
    const due = new Map(book.invoices.map((i) => [i.externalId, i.dueDate]));
    const lateness = (behaviour: string) => {
      const delays = book.payments
        .filter((p) => p.invoiceExternalId && byCustomer.get(p.customerExternalId) === behaviour)
        .map((p) => daysBetween(due.get(p.invoiceExternalId ?? '') as never, p.paidOn));
      return delays.reduce((s, d) => s + d, 0) / delays.length;
    };
    expect(lateness('slow')).toBeGreaterThan(lateness('prompt') + 20);
    expect(book.payments.some((p) => p.externalId.endsWith('-P2'))).toBe(true);
    expect(book.creditNotes.some((n) => n.kind === 'credit_note')).toBe(true);
    const writtenOff = book.creditNotes.filter((n) => n.kind === 'write_off');
    expect(writtenOff.length).toBeGreaterThan(0);
    expect(
      writtenOff.every((n) => byCustomer.get(n.invoiceExternalId.split('-')[0] ?? '') === 'deteriorating'),
    ).toBe(true);
    const paid = new Set(book.payments.map((p) => p.invoiceExternalId));
    const overdueUnpaid = book.invoices.filter((i) => i.dueDate < AS_OF && !paid.has(i.externalId));
    expect(overdueUnpaid.length).toBeGreaterThan(50);
  });
});

describe.each(DIALECTS)('seeding the demo book (%s)', (dialect) => {
  let t: TestStore;
  let services: Services;
  beforeAll(async () => {
    t = await freshStore(dialect);
    services = testServices(t.store, AS_OF);
  });
  afterAll(async () => t.dispose());

  it('writes a consistent ledger through the real use cases', async () => {
    expect(await isBookEmpty(services)).toBe(true);
    const summary = await seedDemoBook(services, { customers: 40, months: 12 });
    expect(summary.customers).toBe(40);
    expect(await isBookEmpty(services)).toBe(false);
    const invoices = await services.store.db.selectFrom('invoices').select(['id', 'order_id']).execute();
    expect(invoices).toHaveLength(summary.invoices);
    expect(invoices.every((i) => i.order_id !== null)).toBe(true);
    const linked = await services.store.db
      .selectFrom('orders')
      .select('id')
      .where('invoice_id', 'is not', null)
      .execute();
    expect(linked).toHaveLength(summary.invoices);
    await expectLedgerBalances(services.store);
  });

  it('creates one demo user per role; the sales user answers for customers of the book', async () => {
    const session = await login(services, 'sales', DEMO_PASSWORD);
    expect(session.user.role).toBe('sales');
    const owned = await services.store.db
      .selectFrom('customers')
      .select('id')
      .where('sales_owner', '=', session.user.salesOwner)
      .execute();
    expect(owned.length).toBeGreaterThan(0);
    const roles = await services.store.db.selectFrom('users').select('role').execute();
    expect(new Set(roles.map((r) => r.role))).toEqual(new Set(ROLES));
  });

  it('rates every scored customer on the master scale, and one strategic customer by an approved override', async () => {
    const profiles = await services.store.db
      .selectFrom('credit_profiles')
      .select(['customer_id', 'risk_class', 'rating_grade', 'rating_source', 'model_grade', 'strategic'])
      .execute();
    const rated = profiles.filter((p) => p.rating_source === 'model');
    expect(rated.length).toBeGreaterThan(profiles.length / 2);
    for (const p of rated)
      expect([p.rating_grade, p.risk_class]).toEqual([
        p.model_grade,
        riskClassOfGrade(p.model_grade as number),
      ]);
    const overridden = profiles.filter((p) => p.rating_source === 'override');
    expect(overridden).toHaveLength(1);
    const [strategic] = overridden;
    expect(strategic).toMatchObject({
      strategic: 1,
      rating_grade: Math.max(1, (strategic?.model_grade as number) - 2),
    });
    const [override] = await listRatingOverrides(services.store.db, {
      customerId: strategic?.customer_id as string,
    });
    expect(override).toMatchObject({ status: 'active', requestedBy: 'analyst', decidedBy: 'manager' });
  });

  it('has the ratings of the last two quarter-ends, fitted on what was known then, for rating migration', async () => {
    const history = await services.store.db
      .selectFrom('rating_history')
      .select(['rated_on', 'grade', 'risk_class', 'source'])
      .where('rated_on', '<', AS_OF)
      .execute();
    const dates = [...new Set(history.map((h) => h.rated_on))].sort();
    expect(dates).toEqual([monthEnd(addMonths(AS_OF, -6)), monthEnd(addMonths(AS_OF, -3))]);
    for (const h of history) {
      expect(h.source).toBe('model');
      expect(h.risk_class).toBe(riskClassOfGrade(h.grade as number));
    }
    const migration = await ratingMigrationBetween(services.store.db, dates[0] as BusinessDate, AS_OF);
    const ratedThen = history.filter((h) => h.rated_on === dates[0]).length;
    expect(migration.upgraded + migration.downgraded + migration.unchanged + migration.noLongerRated).toBe(
      ratedThen,
    );
    expect(migration.matrix.flat().reduce((a, b) => a + b, 0)).toBe(
      migration.upgraded + migration.downgraded + migration.unchanged,
    );
  });
});
