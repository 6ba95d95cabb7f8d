import { ServiceStorageOptions, changeTriggerMigration } from '@crm/persistence';
import { AlertTables1764000000000 } from './migrations/alert-tables.migration';

/** The alert service's storage: its schema and migrations (the platform tables come first). */
export const alertStorage = (schema: string): Omit<ServiceStorageOptions, 'url'> => ({
  schema,
  migrations: [AlertTables1764000000000, changeTriggerMigration('institution', 1764800000000)],
  applicationName: 'alert-service',
});
