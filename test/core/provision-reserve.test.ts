import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { reserveBacktest } from '../../src/core/provisions/backtest.js';
import { historySource } from '../../src/core/provisions/cohort-source.js';
import { learnMatrix } from '../../src/core/provisions/learn-matrix.js';
import { DEFAULT_GL_ACCOUNTS, journalLines, reserveMovement } from '../../src/core/provisions/movement.js';
import { type BucketRate, DEFAULT_PROVISION_SETTINGS } from '../../src/core/provisions/provision-matrix.js';
import { openOn, type ReceivableHistory, settledOn } from '../../src/core/provisions/receivable-history.js';
import { bookReserve } from '../../src/core/provisions/reserve.js';
import { rollRateMatrix, rollRates } from '../../src/core/provisions/roll-rate.js';
import { segmentMatrices } from '../../src/core/provisions/segment-matrix.js';
import { AGING_BUCKETS } from '../../src/core/receivables/aging.js';
import type { BusinessDate } from '../../src/core/time/business-date.js';

const d = (s: string) => s as BusinessDate;

function invoice(
  invoiceId: string,
  customerId: string,
  issueDate: string,
  dueDate: string,
  amountMinor: number,
  reductions: { on: string; amountMinor: number; writeOff?: boolean }[] = [],
): ReceivableHistory {
  const list = reductions.map((r) => ({
    on: d(r.on),
    amountMinor: r.amountMinor,
    writeOff: r.writeOff ?? false,
  }));
  return {
    invoiceId,
    customerId,
    currency: 'CNY',
    issueDate: d(issueDate),
    dueDate: d(dueDate),
    amountMinor,
    reductions: list,
    settledOn: settledOn({ amountMinor, reductions: list }),
    rate: 1,
  };
}

const rates = (values: number[]): BucketRate[] =>
  AGING_BUCKETS.map((bucket, i) => ({
    bucket,
    balanceMinor: 0,
    lossMinor: 0,
    historicalRate: values[i] ?? 0,
    lossRate: values[i] ?? 0,
  }));

describe('the roll-rate method — the worked example of the README, over three month-ends', () => {
  // M1 = 2024-01-31, M2 = 2024-02-29, M3 = 2024-03-31.
  const book = [
    // A: current at M1, 1–30 at M2 (rolled 10,000), 31–60 at M3 with 6,000 left (rolled 6,000).
    invoice('A', 'c1', '2024-01-15', '2024-02-15', 10_000, [{ on: '2024-03-10', amountMinor: 4_000 }]),
    // B: current at M1, paid before M2 (did not roll).
    invoice('B', 'c1', '2024-01-20', '2024-02-20', 20_000, [{ on: '2024-02-25', amountMinor: 20_000 }]),
    // C: issued after M1; current at M2, 1–30 at M3 (rolled 5,000).
    invoice('C', 'c2', '2024-02-10', '2024-03-25', 5_000),
    // D: 31–60 at M1, 61–90 at M2, over 90 at M3 (rolled 8,000 twice).
    invoice('D', 'c2', '2023-11-20', '2023-12-20', 8_000),
  ];
  const monthEnds = [d('2024-01-31'), d('2024-02-29'), d('2024-03-31')];

  it('measures each roll rate balance-weighted over the pairs of month-ends', () => {
    const rolls = rollRates(historySource(book), monthEnds);
    expect(rolls.map((r) => [r.from, r.balanceMinor, r.rolledMinor])).toEqual([
      ['currentMinor', 35_000, 15_000], // (A + B at M1) + C at M2; A and C rolled
      ['d1to30Minor', 10_000, 6_000], // A at M2; 6,000 of it rolled
      ['d31to60Minor', 8_000, 8_000], // D at M1
      ['d61to90Minor', 8_000, 8_000], // D at M2
    ]);
    expect(rolls[0]?.rate).toBeCloseTo(3 / 7, 12);
  });

  it("chains them into loss rates ending in the last bucket's own loss rate, then the overlay", () => {
    const rolls = rollRates(historySource(book), monthEnds);
    const last: BucketRate = {
      bucket: 'over90Minor',
      balanceMinor: 8_000,
      lossMinor: 4_000,
      historicalRate: 0.5,
      lossRate: 0.5,
    };
    const matrix = rollRateMatrix(rolls, last, {
      ...DEFAULT_PROVISION_SETTINGS,
      overlay: 1.2,
      overlayReason: 'downturn',
    });
    // over 90: 0.5; 61–90: 1 × 0.5; 31–60: 1 × 1 × 0.5; 1–30: 0.6 × 0.5 = 0.3; current: 3/7 × 0.3.
    expect(matrix.map((r) => r.historicalRate)).toEqual(
      [(3 / 7) * 0.3, 0.3, 0.5, 0.5, 0.5].map((x) => expect.closeTo(x, 12)),
    );
    expect(matrix.map((r) => r.lossRate)).toEqual(
      [(3 / 7) * 0.36, 0.36, 0.6, 0.6, 0.6].map((x) => expect.closeTo(x, 12)),
    );
  });
});

describe('a matrix per segment', () => {
  it("learns a segment's rate where its history holds enough of the bucket, else takes the book's, and the reserve follows", () => {
    // Small buyers: 10 invoices current at 2025-01-31, 3 written off within the year. Large: 1 invoice, paid.
    const small = Array.from({ length: 10 }, (_, i) =>
      invoice(
        `S${i}`,
        `s${i}`,
        '2025-01-10',
        '2025-02-20',
        1_000,
        i < 3
          ? [{ on: '2025-08-01', amountMinor: 1_000, writeOff: true }]
          : [{ on: '2025-03-01', amountMinor: 1_000 }],
      ),
    );
    const large = [
      invoice('L0', 'l0', '2025-01-10', '2025-02-20', 500, [{ on: '2025-03-01', amountMinor: 500 }]),
    ];
    const settings = { ...DEFAULT_PROVISION_SETTINGS, lookbackMonths: 1 };
    const asOf = d('2026-01-31');
    const all = [...small, ...large];
    const book = learnMatrix(historySource(all), asOf, settings)?.matrix ?? [];
    const current = (rates: readonly BucketRate[]) => rates.find((r) => r.bucket === 'currentMinor');
    expect(current(book)?.lossRate).toBeCloseTo(3_000 / 10_500, 12);
    const segmentOf = (id: string) => (id.startsWith('s') ? 'small' : 'large');
    const matrices = segmentMatrices(all, segmentOf, asOf, settings, book);
    // Small holds 95 % of the current balance: its own 30 %. Large holds under 10 %: the book's rate.
    expect(current(matrices.get('small') ?? [])).toMatchObject({ lossRate: 0.3, source: 'segment' });
    expect(current(matrices.get('large') ?? [])).toMatchObject({
      lossRate: current(book)?.lossRate,
      source: 'book',
    });

    const open = [
      invoice('N', 's0', '2026-01-10', '2026-02-20', 1_000),
      invoice('M', 'l0', '2026-01-10', '2026-02-20', 1_000),
    ];
    const r = bookReserve(open, asOf, book, { ratesOf: (id) => matrices.get(segmentOf(id)) ?? book });
    expect(r.customers.map((c) => [c.customerId, c.reserveMinor])).toEqual([
      ['s0', 300],
      ['l0', Math.round((1_000 * 3_000) / 10_500)],
    ]);
    expect(r.buckets.find((b) => b.bucket === 'currentMinor')).toMatchObject({
      openMinor: 2_000,
      grossReserveMinor: 586,
    });
  });
});

describe('the reserve', () => {
  const book = [
    invoice('X1', 'x', '2026-03-01', '2026-04-30', 1_000),
    invoice('X2', 'x', '2025-12-01', '2025-12-31', 1_000),
    invoice('Y1', 'y', '2026-01-01', '2026-01-31', 4_000),
    invoice('Z1', 'z', '2026-03-01', '2026-04-30', 2_000, [{ on: '2026-03-10', amountMinor: 2_000 }]),
  ];
  const asOf = d('2026-04-15');
  const matrix = rates([0.01, 0.05, 0.1, 0.2, 0.5]);

  it('is open × rate per bucket, specific customers apart, each net of what insurance pays', () => {
    const covers = new Map([['x', { coveredMinor: 1_000, indemnity: 0.9 }]]);
    const specific = new Map([
      ['y', { id: 'spv_1', customerId: 'y', recoveryRate: 0.25, reason: 'insolvent' }],
    ]);
    const r = bookReserve(book, asOf, matrix, { covers, assessments: specific });
    // x: current 1,000 × 1 % = 10, over 90 1,000 × 50 % = 500; covered share 1,000/2,000 × 90 % = 45 %.
    expect(r.buckets.find((b) => b.bucket === 'currentMinor')).toMatchObject({
      openMinor: 1_000,
      grossReserveMinor: 10,
      coverReliefMinor: 5, // 4.5 rounded half up
      reserveMinor: 5,
    });
    expect(r.buckets.find((b) => b.bucket === 'over90Minor')).toMatchObject({
      openMinor: 1_000,
      grossReserveMinor: 500,
      coverReliefMinor: 225,
      reserveMinor: 275,
    });
    // y leaves the matrix: 4,000 × (1 − 25 %) = 3,000.
    expect(r.specific).toEqual([
      expect.objectContaining({
        customerId: 'y',
        openMinor: 4_000,
        grossReserveMinor: 3_000,
        reserveMinor: 3_000,
      }),
    ]);
    expect(r.buckets.find((b) => b.bucket === 'd61to90Minor')?.openMinor).toBe(0);
    expect(r.reserveMinor).toBe(5 + 275 + 3_000);
    expect(r.customers.map((c) => [c.customerId, c.method, c.reserveMinor])).toEqual([
      ['y', 'specific', 3_000],
      ['x', 'collective', 280],
    ]);
  });

  it('insurance lowers it by exactly gross × covered share × indemnity (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 10_000_000 }), { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 0, max: 20_000_000 }),
        fc.integer({ min: 0, max: 100 }),
        (amounts, coveredMinor, indemnityPct) => {
          const histories = amounts.map((a, i) =>
            invoice(`P${i}`, 'p', '2026-01-01', `2026-0${1 + (i % 4)}-28`, a),
          );
          const open = amounts.reduce((s, a) => s + a, 0);
          const bare = bookReserve(histories, asOf, matrix);
          const cover = { coveredMinor, indemnity: indemnityPct / 100 };
          const insured = bookReserve(histories, asOf, matrix, { covers: new Map([['p', cover]]) });
          const share = (Math.min(coveredMinor, open) / open) * cover.indemnity;
          const customer = insured.customers[0];
          const grossOfCustomer = bare.customers[0]?.reserveMinor ?? 0;
          if (customer)
            expect(Math.abs(customer.coverReliefMinor - grossOfCustomer * share)).toBeLessThanOrEqual(1);
          expect(insured.reserveMinor).toBeLessThanOrEqual(bare.reserveMinor);
          expect(
            Math.abs(bare.reserveMinor - insured.reserveMinor - grossOfCustomer * share),
          ).toBeLessThanOrEqual(AGING_BUCKETS.length);
        },
      ),
    );
  });

  it("after the policy's aggregate first loss, every customer's relief shrinks by the same factor", () => {
    const covers = new Map([
      ['x', { coveredMinor: 2_000, indemnity: 0.9 }],
      ['y', { coveredMinor: 4_000, indemnity: 0.9 }],
    ]);
    // x: 10 + 500 = 510 expected loss, all insured; y: 4,000 at 61–90 days × 20 % = 800, all insured.
    const full = bookReserve(book, asOf, matrix, { covers });
    const half = bookReserve(book, asOf, matrix, { covers, firstLossMinor: 655 }); // half of 1,310 insured loss
    const byId = (r: typeof full) => new Map(r.customers.map((c) => [c.customerId, c.coverReliefMinor]));
    expect(byId(full)).toEqual(
      new Map([
        ['y', 720],
        ['x', 459],
      ]),
    );
    expect(byId(half)).toEqual(
      new Map([
        ['y', 360],
        ['x', 230],
      ]),
    );
    expect(bookReserve(book, asOf, matrix, { covers, firstLossMinor: 1_000_000 }).reserveMinor).toBe(
      bookReserve(book, asOf, matrix).reserveMinor,
    );
  });

  it('a valid letter of credit or guarantee covers its share in full, insurance only the rest', () => {
    const covers = new Map([['x', { coveredMinor: 2_000, indemnity: 0.9 }]]);
    // x: 2,000 open, 510 expected loss; a 500 guarantee secures 25 %, insurance the other 75 % at 90 %.
    const r = bookReserve(book, asOf, matrix, { covers, secured: new Map([['x', 500]]) });
    const x = r.customers.find((c) => c.customerId === 'x');
    expect(x?.coverReliefMinor).toBe(Math.round(510 * (0.25 + 0.75 * 0.9)));
    // Secured beyond what is open: nothing is left to reserve.
    const all = bookReserve(book, asOf, matrix, { secured: new Map([['x', 5_000]]) });
    expect(all.customers.find((c) => c.customerId === 'x')).toBeUndefined();
  });

  it('moves from the previous run by charge, release and utilisation, in balanced journal entries', () => {
    const up = reserveMovement({ asOf: d('2026-03-31'), reserveMinor: 1_000 }, 1_200, 300);
    expect(up).toMatchObject({
      openingMinor: 1_000,
      utilisationMinor: 300,
      chargeMinor: 500,
      releaseMinor: 0,
      closingMinor: 1_200,
    });
    const down = reserveMovement({ asOf: d('2026-03-31'), reserveMinor: 1_000 }, 600, 100);
    expect(down).toMatchObject({ chargeMinor: 0, releaseMinor: 300 });
    for (const m of [up, down]) {
      expect(m.openingMinor + m.chargeMinor - m.releaseMinor - m.utilisationMinor).toBe(m.closingMinor);
      const lines = journalLines(m, DEFAULT_GL_ACCOUNTS);
      expect(lines.reduce((s, l) => s + l.debitMinor - l.creditMinor, 0)).toBe(0);
    }
    expect(journalLines(up, DEFAULT_GL_ACCOUNTS)).toEqual([
      { entry: 'utilisation', account: '1231', debitMinor: 300, creditMinor: 0 },
      { entry: 'utilisation', account: '1122', debitMinor: 0, creditMinor: 300 },
      { entry: 'charge', account: '6702', debitMinor: 500, creditMinor: 0 },
      { entry: 'charge', account: '1231', debitMinor: 0, creditMinor: 500 },
    ]);
    expect(reserveMovement(null, 700, 0)).toMatchObject({
      openingMinor: 0,
      chargeMinor: 700,
      previousAsOf: null,
    });
  });

  it('is back-tested against the losses that followed, per bucket, and says when the year is not over', () => {
    const history = [
      invoice('L1', 'l', '2025-01-01', '2025-01-31', 10_000, [
        { on: '2025-08-01', amountMinor: 6_000, writeOff: true },
      ]),
      invoice('L2', 'l', '2025-02-15', '2025-03-15', 5_000, [{ on: '2025-04-01', amountMinor: 5_000 }]),
      invoice('S1', 's', '2025-01-10', '2025-02-10', 3_000, [
        { on: '2025-06-01', amountMinor: 3_000, writeOff: true },
      ]),
    ];
    const [run] = reserveBacktest(
      history,
      [
        {
          id: 'prv_1',
          asOf: d('2025-02-28'),
          buckets: [
            { bucket: 'd1to30Minor', reserveMinor: 2_000 },
            { bucket: 'currentMinor', reserveMinor: 50 },
          ],
          specificMinor: 2_500,
          specificCustomerIds: new Set(['s']),
        },
      ],
      d('2025-12-31'),
      DEFAULT_PROVISION_SETTINGS,
    );
    expect(run).toMatchObject({
      horizonEnd: '2025-12-31',
      complete: false,
      reserveMinor: 4_550,
      realisedLossMinor: 9_000,
    });
    expect(run?.buckets.find((b) => b.bucket === 'd1to30Minor')).toEqual({
      bucket: 'd1to30Minor',
      reserveMinor: 2_000,
      realisedLossMinor: 6_000,
    });
    expect(run?.buckets.find((b) => b.bucket === 'currentMinor')?.realisedLossMinor).toBe(0);
    expect(run?.specific).toEqual({ reserveMinor: 2_500, realisedLossMinor: 3_000 });
  });

  it('reads an invoice as open only between its issue and the day it was settled', () => {
    const h = invoice('O', 'o', '2026-01-01', '2026-02-01', 1_000, [
      { on: '2026-01-10', amountMinor: 400 },
      { on: '2026-02-10', amountMinor: 600 },
    ]);
    expect([
      openOn(h, d('2025-12-31')),
      openOn(h, d('2026-01-09')),
      openOn(h, d('2026-01-10')),
      openOn(h, d('2026-02-10')),
    ]).toEqual([0, 1_000, 600, 0]);
    expect(openOn({ ...h, rate: 7.1234 }, d('2026-01-10'))).toBe(4_274);
  });
});
