import { AssignmentTables1763942400000 } from './assignment-tables.migration';

/** The service's migrations in order (the platform tables migration is prepended by libs/persistence). */
export const ASSIGNMENT_MIGRATIONS = [AssignmentTables1763942400000];
