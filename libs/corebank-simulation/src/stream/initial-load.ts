import type { BankOperations } from '../core/bank-operations';
import type { SimEvent } from '../core/event-factory';
import { groupBy } from '../core/group-by.util';
import type { Bank } from '../population/bank.model';

/** Simulated milliseconds between two initial-load events, so their times keep publication order. */
export const INITIAL_LOAD_SPACING_MS = 10;

/**
 * What core banking replays when the CRM connects: the organisation (parents before children), then each
 * customer with their accounts, loans and cards. Times run from `start`.
 */
export function initialLoadEvents(bank: Bank, ops: BankOperations, start: number): SimEvent[] {
  let at = start;
  const next = () => {
    const now = at;
    at += INITIAL_LOAD_SPACING_MS;
    return now;
  };
  const events: SimEvent[] = [];
  for (const institution of bank.institutions) events.push(ops.institutionUpserted(institution, next()));
  for (const manager of bank.managers) events.push(ops.managerUpserted(manager, next()));

  const accountsOf = groupBy(bank.accounts, (a) => a.customerId);
  const loansOf = groupBy(bank.loans, (l) => l.customerId);
  const cardsOf = groupBy(bank.cards, (c) => c.customerId);
  for (const customer of bank.customers) {
    const id = customer.profile.customerId;
    events.push(ops.customerRegistered(customer, next()));
    for (const account of accountsOf.get(id) ?? []) events.push(ops.accountOpened(account, next()));
    for (const loan of loansOf.get(id) ?? []) events.push(ops.loanDisbursed(loan, next()));
    for (const card of cardsOf.get(id) ?? []) events.push(ops.cardIssued(card, next()));
  }
  return events;
}
