import { CreditDebitIndicator } from '@crm/contracts';
import { Money, MoneyValue, formatAmount } from '@crm/persistence';

export interface BookedEntry {
  creditDebitIndicator: CreditDebitIndicator;
  amount: string;
  /** Core banking's booked balance after the entry; when present it is the truth. */
  balanceAfter?: string;
  /** A reversal moves the balance the opposite way of the original entry's indicator. */
  reversal?: boolean;
}

/** The account balance after one entry, as a decimal string. */
export function balanceAfterEntry(current: string, entry: BookedEntry): string {
  if (entry.balanceAfter !== undefined) return formatAmount(entry.balanceAfter);
  const credit = (entry.creditDebitIndicator === CreditDebitIndicator.Credit) !== (entry.reversal ?? false);
  const base = new Money(current);
  return formatAmount(credit ? base.plus(entry.amount) : base.minus(entry.amount));
}

/**
 * Whether a balance observed at `incoming` replaces one observed at `current`: later or equal wins
 * (equal because one customer's events arrive in order, so the later delivery is the later fact).
 */
export function supersedes(current: Date | null, incoming: Date): boolean {
  return current === null || incoming.getTime() >= current.getTime();
}

export interface HoldingAmounts {
  deposits: string;
  wealth: string;
  loans: string;
  cards: string;
}

export interface HoldingTotals extends HoldingAmounts {
  /** Assets under management: deposits and wealth products. */
  aum: string;
}

/** Sums per-institution amounts into customer totals (decimal.js, never JS numbers). */
export function totalHoldings(rows: readonly HoldingAmounts[]): HoldingTotals {
  const sum = (pick: (r: HoldingAmounts) => string): MoneyValue =>
    rows.reduce((acc, r) => acc.plus(pick(r)), new Money(0));
  const deposits = sum((r) => r.deposits);
  const wealth = sum((r) => r.wealth);
  return {
    aum: formatAmount(deposits.plus(wealth)),
    deposits: formatAmount(deposits),
    wealth: formatAmount(wealth),
    loans: formatAmount(sum((r) => r.loans)),
    cards: formatAmount(sum((r) => r.cards)),
  };
}
