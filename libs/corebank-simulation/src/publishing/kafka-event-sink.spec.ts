import { EventTypes, Topics } from '@crm/contracts';
import { buildScenario } from '../scenarios/scenario.registry';
import { topicOf } from './kafka-event-sink';

describe('topicOf', () => {
  const run = buildScenario('loan-overdue-and-downgrade', {
    seed: 42,
    start: Date.parse('2025-03-01T09:00:00+08:00'),
  });

  it('puts each event on its catalog topic', () => {
    const loanEvents = run.events.filter((e) => e.type.startsWith('bank.corebank.loan.'));
    expect(loanEvents.length).toBeGreaterThan(0);
    for (const event of loanEvents) expect(topicOf(event)).toBe(Topics.CorebankLoan);
  });

  it('prefixes topics when asked and refuses types outside the catalog', () => {
    expect(topicOf(run.events[0], 'it-1.')).toBe(`it-1.${Topics.CorebankOrganisation}`);
    expect(() =>
      topicOf({ ...run.events[0], type: 'bank.corebank.unknown.v1' as typeof EventTypes.LoanOverdue }),
    ).toThrow(/not in EVENT_CATALOG/);
  });
});
