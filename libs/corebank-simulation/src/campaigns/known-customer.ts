import { AccountKind } from '@crm/contracts';
import type { Bank, Customer, DepositAccount } from '../population/bank.model';

/** A customer the simulator can open products for, with the current account that settles loans and cards. */
export interface KnownCustomer {
  customer: Customer;
  settlement: DepositAccount;
}

export type CustomerDirectory = ReadonlyMap<string, KnownCustomer>;

/** The bank's customers that hold a current account (every one the population generates does). */
export function directoryOf(bank: Pick<Bank, 'customers' | 'accounts'>): CustomerDirectory {
  const currentOf = new Map<string, DepositAccount>();
  for (const account of bank.accounts) {
    if (account.kind === AccountKind.Current && !currentOf.has(account.customerId))
      currentOf.set(account.customerId, account);
  }
  const directory = new Map<string, KnownCustomer>();
  for (const customer of bank.customers) {
    const settlement = currentOf.get(customer.profile.customerId);
    if (settlement) directory.set(customer.profile.customerId, { customer, settlement });
  }
  return directory;
}
