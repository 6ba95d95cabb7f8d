import type { ScenarioRun } from '@crm/corebank-simulation';
import type { ServiceHarness } from '@crm/service-harness';

/** What makes an alert the one a scenario declares: its kind, customer, subject and period. */
export type AlertKey = { kind: string; customerId: string; subjectRef: string; periodKey: string };

export const alertKeyOf = (a: AlertKey): string => `${a.kind}|${a.customerId}|${a.subjectRef}|${a.periodKey}`;

/** The alerts the scenarios declare, as sorted keys. */
export const expectedAlertsOf = (runs: ScenarioRun[]): string[] =>
  runs
    .flatMap((r) => r.expectedAlerts)
    .map(alertKeyOf)
    .sort();

/** The alerts stored for these customers, as sorted keys. */
export const storedAlertsOf = async (harness: ServiceHarness, customerIds: string[]): Promise<string[]> =>
  (
    await harness.query<AlertKey>(
      `SELECT kind, customer_id AS "customerId", subject_ref AS "subjectRef", period_key AS "periodKey"
         FROM $schema.alert WHERE customer_id = ANY($1)`,
      [customerIds],
    )
  )
    .map(alertKeyOf)
    .sort();
