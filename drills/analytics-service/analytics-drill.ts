import { tableRows, type DrilledService } from '../lib/fault-drill';

/**
 * analytics-service's outcome: its warehouse (customers, accounts, loans, cards, transactions by month, daily
 * balances) and the running indicators kept from the stream. Close of business does not run in a drill.
 */
export const ANALYTICS_DRILL: DrilledService = {
  name: 'analytics',
  entry: 'apps/analytics-service/src/main.ts',
  outcome: tableRows(),
  filled: ['customer', 'account', 'loan', 'card', 'transaction_fact', 'daily_balance'],
};
