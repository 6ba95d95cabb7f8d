import { AlertKind, EventTypes, describeProblems, validateEventPayload } from '@crm/contracts';
import { generatePopulation } from '../population/population.generator';
import { deriveAlerts } from './reference-alert-rules';
import { ANALYTICS_SCENARIOS, SCENARIOS, buildScenario, scenarioNames } from './scenario.registry';

const START = Date.parse('2025-03-01T09:00:00+08:00');
const sortAlerts = <T extends { kind: string; subjectRef: string; periodKey: string }>(alerts: T[]) =>
  [...alerts].sort((a, b) =>
    `${a.kind}|${a.subjectRef}|${a.periodKey}`.localeCompare(`${b.kind}|${b.subjectRef}|${b.periodKey}`),
  );

describe('scenario registry', () => {
  it('has unique kebab-case names, including the ones the alert tests rely on', () => {
    const names = scenarioNames();
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^[a-z]+(-[a-z]+)*$/);
    expect(names).toEqual(
      expect.arrayContaining([
        'large-inflow',
        'split-large-inflow',
        'inflow-at-threshold',
        'money-draining-to-other-banks',
        'loan-overdue-and-downgrade',
        'time-deposit-maturing',
        'wealth-product-maturing',
        'card-large-spend-then-overdue',
        'deposit-account-closure',
        'quiet-under-thresholds',
        'churn-drain',
        'idle-deposits',
        'mobile-activation',
      ]),
    );
  });

  it('refuses an unknown scenario', () => {
    expect(() => buildScenario('nope', { seed: 1, start: START })).toThrow(/unknown scenario nope/);
  });

  it('covers every alert kind across the scenarios', () => {
    const kinds = new Set(
      SCENARIOS.flatMap((s) =>
        buildScenario(s.name, { seed: 42, start: START }).expectedAlerts.map((a) => a.kind),
      ),
    );
    expect([...kinds].sort()).toEqual(Object.values(AlertKind).sort());
  });
});

// Starts at awkward times too: just before midnight and at the end of a month.
describe.each([
  ['a morning', START],
  ['just before midnight at a month end', Date.parse('2025-01-31T23:58:00+08:00')],
])('each scenario, starting %s', (_when, start) => {
  const population = generatePopulation({ seed: 42, customers: 200, asOf: '2025-03-01' });
  const populationIds = new Set(population.customers.map((c) => c.profile.customerId));

  describe.each([...SCENARIOS, ...ANALYTICS_SCENARIOS].map((s) => [s.name]))('%s', (name) => {
    const run = buildScenario(name, { seed: 42, start });

    it('is reproducible for the same seed and start, with new customers and ids for another start', () => {
      expect(buildScenario(name, { seed: 42, start })).toEqual(run);
      const later = buildScenario(name, { seed: 42, start: start + 1000 });
      expect(later.customerIds.some((id) => run.customerIds.includes(id))).toBe(false);
      expect(later.events.some((e) => run.events.some((r) => r.id === e.id))).toBe(false);
    });

    it('publishes only valid events, in time order, all carrying its correlation id', () => {
      for (const event of run.events) {
        const result = validateEventPayload(event.type, event.data);
        expect(result.ok ? '' : `${event.type}: ${describeProblems(result.problems)}`).toBe('');
        expect(event.correlationid).toBe(run.correlationId);
      }
      const times = run.events.map((e) => Date.parse(e.time));
      expect(times.every((t, i) => i === 0 || t >= times[i - 1])).toBe(true);
      expect(Date.parse(run.events[0].time)).toBe(start + 10);
      expect(run.endsAt).toBe(run.events[run.events.length - 1].time);
    });

    it('has customers of its own, registered in the story and absent from the population', () => {
      const registered = run.events
        .filter((e) => e.type === EventTypes.CustomerRegistered)
        .map((e) => (e.data as { customerId: string }).customerId);
      expect(registered.sort()).toEqual([...run.customerIds].sort());
      for (const id of run.customerIds) expect(populationIds.has(id)).toBe(false);
    });

    it("declares alerts about its own customers' own accounts, loans and cards", () => {
      const subjects = new Map<string, string>();
      for (const event of run.events) {
        const data = event.data as {
          customerId?: string;
          accountId?: string;
          loanId?: string;
          cardId?: string;
        };
        if (
          [EventTypes.AccountOpened, EventTypes.LoanDisbursed, EventTypes.CardIssued].includes(
            event.type as never,
          )
        ) {
          subjects.set((data.accountId ?? data.loanId ?? data.cardId)!, data.customerId!);
        }
      }
      for (const alert of run.expectedAlerts) {
        expect(run.customerIds).toContain(alert.customerId);
        expect(subjects.get(alert.subjectRef)).toBe(alert.customerId);
      }
    });

    it('declares exactly the alerts a literal reading of the rules derives from its events', () => {
      const declared = run.expectedAlerts.map(({ kind, customerId, subjectRef, periodKey }) => ({
        kind,
        customerId,
        subjectRef,
        periodKey,
      }));
      expect(sortAlerts(declared)).toEqual(sortAlerts(deriveAlerts(run.events, run.endsAt)));
    });
  });
});

describe('the quiet scenario', () => {
  it('declares no alert at all', () => {
    expect(buildScenario('quiet-under-thresholds', { seed: 42, start: START }).expectedAlerts).toEqual([]);
  });
});
