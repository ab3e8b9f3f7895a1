import type { BusinessDate } from '../time/business-date.js';

/** How the reserve moved since the previous final run: opening + charge − release − utilisation = closing. */
export interface ReserveMovement {
  readonly previousAsOf: BusinessDate | null;
  readonly openingMinor: number;
  /** Write-offs of the period, used against the reserve. */
  readonly utilisationMinor: number;
  /** Charged to profit and loss (impairment expense). */
  readonly chargeMinor: number;
  /** Released back to profit and loss. */
  readonly releaseMinor: number;
  readonly closingMinor: number;
}

export function reserveMovement(
  previous: { asOf: BusinessDate; reserveMinor: number } | null,
  closingMinor: number,
  writtenOffMinor: number,
): ReserveMovement {
  const openingMinor = previous?.reserveMinor ?? 0;
  const net = closingMinor - openingMinor + writtenOffMinor;
  return {
    previousAsOf: previous?.asOf ?? null,
    openingMinor,
    utilisationMinor: writtenOffMinor,
    chargeMinor: Math.max(0, net),
    releaseMinor: Math.max(0, -net),
    closingMinor,
  };
}

/** The general-ledger accounts the journal posts to (defaults: the CAS chart of accounts). */
export interface GlAccounts {
  /** 信用减值损失 — impairment loss on receivables (P&L). */
  readonly impairmentExpense: string;
  /** 坏账准备 — the loss allowance (contra-asset). */
  readonly lossAllowance: string;
  /** 应收账款 — trade receivables. */
  readonly receivables: string;
}

export const DEFAULT_GL_ACCOUNTS: GlAccounts = {
  impairmentExpense: '6702',
  lossAllowance: '1231',
  receivables: '1122',
};

export interface JournalLine {
  readonly entry: 'charge' | 'release' | 'utilisation';
  readonly account: string;
  readonly debitMinor: number;
  readonly creditMinor: number;
}

/** The double entries of a movement; every entry balances. */
export function journalLines(movement: ReserveMovement, accounts: GlAccounts): JournalLine[] {
  const pair = (entry: JournalLine['entry'], debit: string, credit: string, amount: number): JournalLine[] =>
    amount > 0
      ? [
          { entry, account: debit, debitMinor: amount, creditMinor: 0 },
          { entry, account: credit, debitMinor: 0, creditMinor: amount },
        ]
      : [];
  return [
    ...pair('utilisation', accounts.lossAllowance, accounts.receivables, movement.utilisationMinor),
    ...pair('charge', accounts.impairmentExpense, accounts.lossAllowance, movement.chargeMinor),
    ...pair('release', accounts.lossAllowance, accounts.impairmentExpense, movement.releaseMinor),
  ];
}
