import { changeTriggerMigration } from '@crm/persistence';
import { AlertTables1764000000000 } from './alert-tables.migration';
import { WebhookTables1765000000000 } from './webhook-tables.migration';

/** The service's migrations in order (the platform tables migration is prepended by libs/persistence). */
export const ALERT_MIGRATIONS = [
  AlertTables1764000000000,
  changeTriggerMigration('institution', 1764800000000),
  WebhookTables1765000000000,
];
