import { tableRows, type DrilledService } from '../lib/fault-drill';

/** customer-service's outcome: every row of its projection (customers, holdings, transactions, tags…). */
export const CUSTOMER_DRILL: DrilledService = {
  name: 'customer',
  entry: 'apps/customer-service/src/main.ts',
  outcome: tableRows(),
  filled: ['institution', 'customer', 'account', 'account_transaction', 'loan', 'card', 'holding_summary'],
};
