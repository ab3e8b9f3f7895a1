import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocatePayment, type OpenInvoice } from '../../src/core/receivables/allocate-payment.js';
import { validateCreditNote } from '../../src/core/receivables/credit-note.js';
import { validateInvoice } from '../../src/core/receivables/invoice.js';
import { assertSettlementFits, openAmountMinor } from '../../src/core/receivables/open-amount.js';
import { addDays, type BusinessDate } from '../../src/core/time/business-date.js';

const day0 = '2026-01-01' as BusinessDate;

const openInvoices = fc
  .array(fc.record({ due: fc.integer({ min: 0, max: 365 }), open: fc.integer({ min: 0, max: 1e9 }) }), {
    maxLength: 25,
  })
  .map((list) =>
    list.map(
      (x, i): OpenInvoice => ({
        invoiceId: `inv_${String(i).padStart(3, '0')}`,
        issueDate: day0,
        dueDate: addDays(day0, x.due),
        openMinor: x.open,
      }),
    ),
  );

describe('payment allocation', () => {
  it('never creates or loses a minor unit, and never over-settles an invoice', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5e9 }), openInvoices, (payment, invoices) => {
        const { allocations, unappliedMinor } = allocatePayment(payment, invoices);
        const applied = allocations.reduce((s, a) => s + a.amountMinor, 0);
        expect(applied + unappliedMinor).toBe(payment);
        expect(unappliedMinor).toBeGreaterThanOrEqual(0);
        for (const a of allocations) {
          const invoice = invoices.find((i) => i.invoiceId === a.invoiceId);
          expect(a.amountMinor).toBeGreaterThan(0);
          expect(a.amountMinor).toBeLessThanOrEqual(invoice?.openMinor ?? -1);
        }
        // Money is left over only when every invoice is fully settled.
        const totalOpen = invoices.reduce((s, i) => s + i.openMinor, 0);
        expect(unappliedMinor).toBe(Math.max(0, payment - totalOpen));
      }),
    );
  });

  it('settles oldest-due first: no invoice is touched while an older one stays open', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5e9 }), openInvoices, (payment, invoices) => {
        const { allocations } = allocatePayment(payment, invoices);
        const paid = new Map(allocations.map((a) => [a.invoiceId, a.amountMinor]));
        for (const touched of allocations) {
          const due = invoices.find((i) => i.invoiceId === touched.invoiceId)?.dueDate ?? '';
          for (const older of invoices.filter((i) => i.dueDate < due)) {
            expect(paid.get(older.invoiceId) ?? 0, `${older.invoiceId} before ${touched.invoiceId}`).toBe(
              older.openMinor,
            );
          }
        }
      }),
    );
  });

  it('settles only the named invoice and leaves the rest on account', () => {
    const invoices: OpenInvoice[] = [
      { invoiceId: 'a', issueDate: day0, dueDate: addDays(day0, 30), openMinor: 500 },
      { invoiceId: 'b', issueDate: day0, dueDate: addDays(day0, 60), openMinor: 300 },
    ];
    expect(allocatePayment(400, invoices, 'b')).toEqual({
      allocations: [{ invoiceId: 'b', amountMinor: 300 }],
      unappliedMinor: 100,
    });
    expect(allocatePayment(600, invoices)).toEqual({
      allocations: [
        { invoiceId: 'a', amountMinor: 500 },
        { invoiceId: 'b', amountMinor: 100 },
      ],
      unappliedMinor: 0,
    });
  });

  it('rejects a non-positive or fractional payment', () => {
    for (const bad of [0, -5, 1.5]) expect(() => allocatePayment(bad, [])).toThrow(/positive whole number/);
  });
});

describe('open amount', () => {
  it('is amount − allocations − credit notes', () => {
    expect(openAmountMinor(1000, [300, 200], [100])).toBe(400);
    expect(openAmountMinor(1000, [1000], [])).toBe(0);
  });

  it('is never negative: an over-settlement is a broken invariant', () => {
    expect(() => openAmountMinor(1000, [800], [300])).toThrow(/negative/);
  });

  it('refuses a credit note larger than what is open, naming the field', () => {
    expect(() => assertSettlementFits(501, 500, 'amountMinor')).toThrow(/exceeds the invoice's open amount/);
    expect(() => assertSettlementFits(500, 500, 'amountMinor')).not.toThrow();
  });
});

describe('invoice validation', () => {
  const good = {
    externalId: 'INV-1',
    invoiceNumber: '2026-0001',
    issueDate: '2026-01-10',
    dueDate: '2026-03-11',
    amountMinor: 100_000,
    currency: 'CNY',
  };

  it('accepts a good invoice', () => {
    expect(validateInvoice(good).dueDate).toBe('2026-03-11');
  });

  it.each([
    [{ dueDate: '2026-01-09' }, 'due_before_issue', 'dueDate'],
    [{ issueDate: '2026-02-30' }, 'invalid_date', 'issueDate'],
    [{ amountMinor: 0 }, 'invalid_amount', 'amountMinor'],
    [{ currency: 'RMB' }, 'invalid_currency', 'currency'],
    [{ externalId: '  ' }, 'required', 'externalId'],
    [{ dueDate: '2029-01-01' }, 'terms_too_long', 'dueDate'],
  ])('rejects %o with %s on %s', (change, code, field) => {
    expect(() => validateInvoice({ ...good, ...change })).toThrow(expect.objectContaining({ code, field }));
  });

  it('requires a reason on a credit note', () => {
    expect(() =>
      validateCreditNote({ externalId: 'x', issuedOn: '2026-01-01', amountMinor: 1, reason: '' }),
    ).toThrow(expect.objectContaining({ field: 'reason' }));
  });
});
