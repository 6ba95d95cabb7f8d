import {
  AccountKind,
  CustomerKind,
  EventTypes,
  describeProblems,
  validateEventPayload,
} from '@crm/contracts';
import { generatePopulation } from '../population/population.generator';
import { UPLIFT_SEGMENT_SIZE } from './campaign-uplift.scenario';
import { deriveAlerts } from './reference-alert-rules';
import { buildScenario, scenarioNames, SCENARIOS } from './scenario.registry';

const START = Date.parse('2025-03-03T09:00:00+08:00');

describe('the campaign-uplift scenario', () => {
  const run = buildScenario('campaign-uplift', { seed: 42, start: START });
  const segment = run.segment!;

  it('is named on the command line but is no alert story', () => {
    expect(scenarioNames()).toContain('campaign-uplift');
    expect(SCENARIOS.map((s) => s.name)).not.toContain('campaign-uplift');
  });

  it("registers the segment: individuals of the story's outlet and manager, each with a current account", () => {
    expect(segment.members).toHaveLength(UPLIFT_SEGMENT_SIZE);
    expect(run.customerIds).toEqual(segment.members.map((m) => m.customer.profile.customerId));
    for (const { customer, settlement } of segment.members) {
      expect(customer.profile.kind).toBe(CustomerKind.Individual);
      expect(customer.profile.homeInstitutionId).toBe(segment.outlet.institutionId);
      expect(customer.managerId).toBe(segment.manager.managerId);
      expect(settlement).toMatchObject({
        customerId: customer.profile.customerId,
        kind: AccountKind.Current,
      });
    }
    const opened = run.events.filter((e) => e.type === EventTypes.AccountOpened);
    expect(opened.map((e) => (e.data as { accountId: string }).accountId)).toEqual(
      segment.members.map((m) => m.settlement.accountId),
    );
  });

  it('publishes valid events that raise no alert, about customers of its own, reproducibly', () => {
    for (const event of run.events) {
      const result = validateEventPayload(event.type, event.data);
      expect(result.ok ? '' : describeProblems(result.problems)).toBe('');
    }
    expect(run.expectedAlerts).toEqual([]);
    expect(deriveAlerts(run.events, run.endsAt)).toEqual([]);
    const population = generatePopulation({ seed: 42, customers: 500, asOf: '2025-03-03' });
    const populationIds = new Set(population.customers.map((c) => c.profile.customerId));
    expect(run.customerIds.some((id) => populationIds.has(id))).toBe(false);
    expect(buildScenario('campaign-uplift', { seed: 42, start: START })).toEqual(run);
  });
});
