import { fxRates, limits } from './credit.js';
import { customers } from './customers.js';
import { creditNotes, invoices, payments } from './ledger.js';
import { orders } from './orders.js';
import { cycle, signals } from './outside.js';
import { statements } from './statements.js';

/** Every import kind by the name the CLI and the API take (`fulcrum import <kind>`, `POST /v1/imports/<kind>`). */
export const IMPORT_KINDS = {
  customers,
  invoices,
  payments,
  orders,
  'credit-notes': creditNotes,
  limits,
  'fx-rates': fxRates,
  signals,
  cycle,
  statements,
} as const;
export type ImportKindName = keyof typeof IMPORT_KINDS;

export const isImportKind = (name: string): name is ImportKindName => Object.hasOwn(IMPORT_KINDS, name);
