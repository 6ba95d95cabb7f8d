import { changeTriggerMigration } from '@crm/persistence';
import { AssignmentTables1763942400000 } from './assignment-tables.migration';

/** The service's migrations in order (the platform tables migration is prepended by libs/persistence). */
export const ASSIGNMENT_MIGRATIONS = [
  AssignmentTables1763942400000,
  changeTriggerMigration('institution', 1764800000000),
];
