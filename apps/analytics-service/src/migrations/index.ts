import { changeTriggerMigration } from '@crm/persistence';
import { WarehouseTables1796000000000 } from './1796000000000-warehouse-tables.migration';
import { CloseOfBusiness1796100000000 } from './1796100000000-close-of-business.migration';
import { CobRunWorkers1796400000000 } from './1796400000000-cob-run-workers.migration';
import { PotentialTagsAndChurn1796500000000 } from './1796500000000-potential-tags-and-churn.migration';
import { LeagueTables1796600000000 } from './1796600000000-league-tables.migration';
import { PublicationByShard1796700000000 } from './1796700000000-publication-by-shard.migration';

/** The service's migrations in order (the platform tables migration is prepended by libs/persistence). */
export const ANALYTICS_MIGRATIONS = [
  WarehouseTables1796000000000,
  changeTriggerMigration('institution', 1796000000001),
  CloseOfBusiness1796100000000,
  CobRunWorkers1796400000000,
  PotentialTagsAndChurn1796500000000,
  LeagueTables1796600000000,
  PublicationByShard1796700000000,
];
