import { type SignalInput, validateSignal } from '../../../core/external-data/signals.js';
import { parseCurrency } from '../../../core/money/currency.js';
import { parseMajorAmount } from '../../../core/money/parse.js';
import {
  type CycleReadingInput,
  recordCycleReadings,
  validateCycleReading,
} from '../../cycle/cycle-readings.js';
import { recordSignals } from '../../external-data/record-signals.js';
import { type ImportKind, optional } from '../import-kind.js';

// Signals are kept once by their source reference and a month's reading is revised when read
// again, whatever the mode: neither kind has records an import could duplicate.
export const signals: ImportKind<SignalInput> = {
  columns: ['source', 'source_ref', 'signal_type', 'occurred_on', 'summary'],
  optionalColumns: ['registration_id', 'customer_external_id', 'severity', 'amount', 'currency'],
  columnOf: {
    sourceRef: 'source_ref',
    signalType: 'signal_type',
    occurredOn: 'occurred_on',
    registrationId: 'registration_id',
  },
  sample: {
    source: 'qichacha',
    source_ref: 'QCC-2026-000001',
    signal_type: 'lawsuit_defendant',
    occurred_on: '2026-01-15',
    summary: '买卖合同纠纷 (sales contract dispute) as defendant',
    registration_id: '91350100M000100Y43',
    severity: 'medium',
    amount: '250000.00',
    currency: 'CNY',
  },
  // A provider's export names the buyer by its registration id (or the ERP's customer id); an
  // amount, when there is one, in major units of its currency.
  toInput: (r) => {
    const amount = optional(r.amount);
    return {
      source: r.source ?? '',
      sourceRef: r.source_ref ?? '',
      ...(optional(r.registration_id) ? { registrationId: r.registration_id } : {}),
      ...(optional(r.customer_external_id) ? { customerExternalId: r.customer_external_id } : {}),
      signalType: r.signal_type ?? '',
      occurredOn: r.occurred_on ?? '',
      severity: optional(r.severity) ?? null,
      amountMinor: amount
        ? parseMajorAmount(amount, parseCurrency(r.currency ?? '', 'currency'), 'amountMinor')
        : null,
      currency: optional(r.currency) ?? null,
      summary: r.summary ?? '',
    };
  },
  check: validateSignal,
  write: (services, actor, inputs) =>
    recordSignals(services, actor, inputs).then((r) => Array.from({ length: r.received + r.unchanged })),
};

export const cycle: ImportKind<CycleReadingInput> = {
  columns: ['month', 'value'],
  optionalColumns: ['source'],
  columnOf: {},
  sample: { month: '2026-01', value: '49.8', source: 'NBS manufacturing PMI' },
  toInput: (r) => ({
    month: r.month ?? '',
    value: optional(r.value) === undefined ? Number.NaN : Number(r.value),
    ...(optional(r.source) ? { source: r.source } : {}),
  }),
  check: validateCycleReading,
  write: (services, actor, inputs) =>
    recordCycleReadings(services, actor, inputs).then((r) => Array.from({ length: r.recorded })),
};
