import { describe, expect, it } from 'vitest';
import {
  behaviourGrade,
  fitLatePaymentModel,
  type LedgerInvoice,
  labelOf,
  latePaymentModelOnly,
  scoreCustomer,
  trainingRows,
} from '../../src/core/scoring/late-payment.js';
import { addDays, addMonths, type BusinessDate } from '../../src/core/time/business-date.js';

const TODAY = '2026-12-31' as BusinessDate;

/** Customers who pay on time and customers who pay 40–70 days late, an invoice a month. */
function book(customers = 80, months = 22, punctualCredited = false) {
  const byCustomer = new Map<string, LedgerInvoice[]>();
  let seed = 7;
  const random = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  for (let c = 0; c < customers; c++) {
    const habitual = c % 2 === 0;
    const invoices: LedgerInvoice[] = [];
    for (let m = 0; m < months; m++) {
      const issueDate = `2025-${String((m % 12) + 1).padStart(2, '0')}-05`.replace(
        '2025',
        String(2025 + Math.floor(m / 12)),
      ) as BusinessDate;
      const dueDate = addDays(issueDate, 30);
      // Habitual late payers are late most of the time; punctual ones now and then.
      const late = random() < (habitual ? 0.85 : 0.08);
      const settledOn = addDays(dueDate, late ? 40 + Math.floor(random() * 30) : -Math.floor(random() * 5));
      invoices.push({
        customerId: `c${c}`,
        segment: c % 3 === 0 ? 'large' : 'small',
        issueDate,
        dueDate,
        amountMinor: 100_000,
        settledOn: settledOn <= TODAY ? settledOn : null,
        openMinor: settledOn <= TODAY ? 0 : 100_000,
        // An artefact a generator or an ERP export can produce: credit notes only on good payers.
        creditedMinor: punctualCredited && !habitual ? 10_000 : 0,
        writtenOffMinor: 0,
        payments: 1,
      });
    }
    byCustomer.set(`c${c}`, invoices);
  }
  return byCustomer;
}

describe('the late-payment model', () => {
  it('labels an invoice late only when paid, or still open, more than 30 days past due', () => {
    const base = {
      issueDate: '2026-01-01' as BusinessDate,
      dueDate: '2026-01-31' as BusinessDate,
      amountMinor: 1,
      openMinor: 0,
      creditedMinor: 0,
      payments: 1,
    };
    expect(labelOf({ ...base, settledOn: '2026-03-02' as BusinessDate }, TODAY)).toBe(0);
    expect(labelOf({ ...base, settledOn: '2026-03-03' as BusinessDate }, TODAY)).toBe(1);
    expect(labelOf({ ...base, settledOn: null, openMinor: 1 }, '2026-03-02' as BusinessDate)).toBeNull();
    expect(labelOf({ ...base, settledOn: null, openMinor: 1 }, '2026-03-03' as BusinessDate)).toBe(1);
    // Written off within days of the due date: settled in the books, never paid — the worst case.
    expect(labelOf({ ...base, settledOn: '2026-02-05' as BusinessDate, writtenOffMinor: 1 }, TODAY)).toBe(1);
  });

  it('builds each training row from what was known the day before the invoice: no look-ahead', () => {
    const rows = trainingRows(book(2, 6), TODAY);
    const first = rows.filter((r) => r.issueDate === '2025-01-05');
    expect(first).toHaveLength(2);
    for (const r of first) expect(r.applicant).toMatchObject({ historyInvoices: 0, lateShare: null });
    // The habitual customer's June invoice knows only invoices settled before 4 June.
    const june = rows.find((r) => r.issueDate === '2025-06-05' && r.applicant.segment === 'large');
    expect(june?.applicant.historyInvoices).toBeLessThanOrEqual(4);
  });

  it('as of a past date, sees nothing after it: the same model and scores as a book cut off that day', () => {
    const asOf = '2025-12-31' as BusinessDate;
    const full = book();
    // The book as it stood on asOf: later invoices unissued, later settlements still open.
    const cut = new Map(
      [...full].map(([id, invoices]) => [
        id,
        invoices
          .filter((i) => i.issueDate <= asOf)
          .map((i) =>
            i.settledOn !== null && i.settledOn > asOf
              ? { ...i, settledOn: null, openMinor: i.amountMinor }
              : i,
          ),
      ]),
    );
    const rows = trainingRows(full, asOf);
    expect(rows).toEqual(trainingRows(cut, asOf));
    const { model } = fitLatePaymentModel(rows, asOf);
    for (const id of ['c0', 'c1', 'c3'])
      expect(scoreCustomer(model, full.get(id) ?? [], asOf, 'small')).toEqual(
        scoreCustomer(model, cut.get(id) ?? [], asOf, 'small'),
      );
    // A write-off known only later is not a label yet.
    const written = {
      ...(full.get('c1')?.[0] as LedgerInvoice),
      settledOn: '2026-02-01' as BusinessDate,
      writtenOffMinor: 1,
    };
    expect(labelOf(written, '2025-12-31' as BusinessDate)).toBe(1); // open and 30+ days late then
    expect(
      labelOf({ ...written, dueDate: '2025-12-20' as BusinessDate }, '2025-12-31' as BusinessDate),
    ).toBeNull();
  });

  it('separates habitual late payers from punctual ones, back-tested on later invoices, with reasons', () => {
    const byCustomer = book();
    const { model, backTest } = fitLatePaymentModel(trainingRows(byCustomer, TODAY), TODAY);
    expect(backTest?.auc).toBeGreaterThan(0.8);
    expect(backTest?.testRows).toBeGreaterThan(0);
    // The calibration table covers every later invoice. The score shifts from training to later
    // invoices — later ones carry longer histories — and the PSI says so.
    expect(backTest?.calibration.reduce((s, row) => s + row.count, 0)).toBe(backTest?.testRows);
    expect(backTest?.psi).toBeGreaterThan(0.1);
    // Every kept feature lowers the PD as its WoE rises: no reversed signs.
    expect(
      [model.pooled, ...Object.values(model.segments)].every((card) => card.coefficients.every((b) => b < 0)),
    ).toBe(true);
    const late = scoreCustomer(model, byCustomer.get('c0') ?? [], TODAY, 'large');
    const punctual = scoreCustomer(model, byCustomer.get('c1') ?? [], TODAY, 'small');
    expect(late.pd).toBeGreaterThan(punctual.pd);
    expect(late.score).toBeLessThan(punctual.score);
    expect(late.grade).toBeGreaterThan(punctual.grade);
    // The top reason is how late (or slowly) the customer pays.
    expect(late.reasons[0]?.feature).toMatch(/late|Late|DaysToPay/);
  });

  it('gives a segment weights of its own when they rank later invoices better, and says so', () => {
    // Small customers pay late on short terms, large ones on long terms: pooled, terms mean nothing.
    const byCustomer = new Map<string, LedgerInvoice[]>();
    let seed = 11;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let c = 0; c < 80; c++) {
      const segment = c % 2 === 0 ? 'small' : 'large';
      const invoices: LedgerInvoice[] = [];
      for (let m = 0; m < 22; m++) {
        const issueDate = addMonths('2025-01-05' as BusinessDate, m);
        const terms = random() < 0.5 ? 30 : 90;
        const dueDate = addDays(issueDate, terms);
        const lateOdds = (segment === 'small') === (terms === 30) ? 0.7 : 0.1;
        const settledOn = addDays(dueDate, random() < lateOdds ? 45 : -2);
        invoices.push({
          customerId: `c${c}`,
          segment,
          issueDate,
          dueDate,
          amountMinor: 100_000,
          settledOn: settledOn <= TODAY ? settledOn : null,
          openMinor: settledOn <= TODAY ? 0 : 100_000,
          creditedMinor: 0,
          writtenOffMinor: 0,
          payments: 1,
        });
      }
      byCustomer.set(`c${c}`, invoices);
    }
    const rows = trainingRows(byCustomer, TODAY);
    const { model, backTest } = fitLatePaymentModel(rows, TODAY);
    // Fitted without the diagnostics (for past ratings), the model is the same to the last weight.
    expect(latePaymentModelOnly(rows, TODAY)).toEqual(model);
    expect(backTest?.segmentation.chosen).toBe('segmented');
    expect(backTest?.segmentation.ownWeights.sort()).toEqual(['large', 'small']);
    expect(backTest?.segmentation.segmentedAuc).toBeGreaterThan(
      (backTest?.segmentation.pooledAuc ?? 1) + 0.1,
    );
    expect(backTest?.auc).toBe(backTest?.segmentation.segmentedAuc);
    expect(Object.keys(model.segments).sort()).toEqual(['large', 'small']);
    // Each segment is scored by its own card: the same short-terms customer, opposite risks.
    const history = byCustomer.get('c0') ?? [];
    const shortTerms = [
      { ...(history.at(-1) as LedgerInvoice), issueDate: TODAY, dueDate: addDays(TODAY, 30) },
    ];
    expect(scoreCustomer(model, shortTerms, TODAY, 'small').pd).toBeGreaterThan(
      scoreCustomer(model, shortTerms, TODAY, 'large').pd,
    );
  });

  it('keeps pooled weights when segments behave alike', () => {
    const rows = trainingRows(book(150), TODAY);
    const { model, backTest } = fitLatePaymentModel(rows, TODAY);
    expect(latePaymentModelOnly(rows, TODAY)).toEqual(model);
    // Both segments had enough history for weights of their own; they did not rank better.
    expect(backTest?.segmentation.ownWeights.sort()).toEqual(['large', 'small']);
    expect(backTest?.segmentation.segmentedAuc).toBeLessThan((backTest?.segmentation.pooledAuc ?? 0) + 0.005);
    expect(backTest?.segmentation.chosen).toBe('pooled');
    expect(model.segments).toEqual({});
  });

  it('grades by the probability of paying late', () => {
    expect(behaviourGrade(0.005)).toBe(1);
    expect(behaviourGrade(0.1)).toBe(5);
    expect(behaviourGrade(0.9)).toBe(10);
  });

  it('drops a feature whose data contradicts credit practice (more credit notes, less risk) instead of giving indefensible reasons', () => {
    const byCustomer = book(80, 22, true);
    const { model } = fitLatePaymentModel(trainingRows(byCustomer, TODAY), TODAY);
    const names = model.pooled.features.map((f) => f.name);
    expect(names).not.toContain('creditedShare');
    expect(names.some((n) => ['lateShare', 'meanDaysLate', 'meanDaysToPay'].includes(n))).toBe(true);
  });
});
