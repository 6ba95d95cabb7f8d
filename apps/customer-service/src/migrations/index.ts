import { CustomerProjection1763900000000 } from './1763900000000-customer-projection.migration';
import { CurrencyUnknown1795800000000 } from './1795800000000-currency-unknown.migration';

export const CUSTOMER_MIGRATIONS = [CustomerProjection1763900000000, CurrencyUnknown1795800000000];
