import { ServiceStorageOptions } from '@crm/persistence';
import { AlertTables1764000000000 } from './migrations/alert-tables.migration';

/** The alert service's storage: its schema and migrations (the platform tables come first). */
export const alertStorage = (schema: string): Omit<ServiceStorageOptions, 'url'> => ({
  schema,
  migrations: [AlertTables1764000000000],
  applicationName: 'alert-service',
});
