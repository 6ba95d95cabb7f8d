import { changeTriggerMigration } from '@crm/persistence';
import { CustomerProjection1763900000000 } from './1763900000000-customer-projection.migration';
import { CurrencyUnknown1795800000000 } from './1795800000000-currency-unknown.migration';
import { AnalyticProfile1796000000000 } from './1796000000000-analytic-profile.migration';

/** The service's migrations in order (the platform tables migration is prepended by libs/persistence). */
export const CUSTOMER_MIGRATIONS = [
  CustomerProjection1763900000000,
  changeTriggerMigration('institution', 1764800000000),
  CurrencyUnknown1795800000000,
  AnalyticProfile1796000000000,
];
