import type { ScenarioRun } from '@crm/corebank-simulation';

/** Who a scenario's story is about, so its alerts can be told apart from the live traffic's. */
export function describeScenarioCast(run: ScenarioRun): string {
  return [
    `${run.name} (correlation id ${run.correlationId})`,
    ...run.customers.map(
      (c) =>
        `  customer ${c.customerId} (manager ${c.managerId} at ${c.institutionId}): ${c.holdings.join(', ') || 'no holdings'}`,
    ),
  ].join('\n');
}
