import { EVENT_CATALOG, EventTypes, eventDefinitionOf } from './catalog';
import { EVENT_SAMPLES } from './event-samples';
import { AlertKind, DEFAULT_ALERT_PARAMETERS, DEFAULT_ALERT_SEVERITY } from './events';
import { DECIMAL_AMOUNT } from './money';
import { Topics } from './topics';

const TOPIC_BY_AREA: Record<string, string> = {
  'corebank.customer': Topics.CorebankCustomer,
  'corebank.account': Topics.CorebankAccount,
  'corebank.transaction': Topics.CorebankTransaction,
  'corebank.loan': Topics.CorebankLoan,
  'corebank.card': Topics.CorebankCard,
  'corebank.organisation': Topics.CorebankOrganisation,
  'crm.alert': Topics.CrmAlert,
  'crm.assignment': Topics.CrmAssignment,
  'crm.customer': Topics.CrmCustomer,
  'crm.campaign': Topics.CrmCampaignContact,
  'crm.analytics': Topics.CrmAnalyticsProfile,
  'lobby.queue': Topics.LobbyQueue,
};

describe('EVENT_CATALOG', () => {
  it('lists every EventTypes value exactly once', () => {
    const types = EVENT_CATALOG.map((d) => d.type);
    expect(new Set(types).size).toBe(types.length);
    expect([...types].sort()).toEqual(Object.values(EventTypes).sort());
  });

  it.each(EVENT_CATALOG.map((d) => [d.type, d]))(
    '%s is versioned and travels on its area topic',
    (type, definition) => {
      const match = /^bank\.((?:corebank|crm|lobby)\.[a-z]+)\.[a-z-]+\.v[1-9]\d*$/.exec(type as string);
      expect(match).not.toBeNull();
      expect(typeof definition).toBe('object');
      expect((definition as { topic: string }).topic).toBe(TOPIC_BY_AREA[match![1]]);
      expect((definition as { summary: string }).summary).toMatch(/^[A-Z].{10,160}\.$/);
    },
  );

  it('has a sample payload for every type', () => {
    expect(Object.keys(EVENT_SAMPLES).sort()).toEqual(Object.values(EventTypes).sort());
  });

  it('looks definitions up by type', () => {
    expect(eventDefinitionOf(EventTypes.LoanOverdue)?.topic).toBe(Topics.CorebankLoan);
    expect(eventDefinitionOf('bank.corebank.loan.overdue.v9')).toBeUndefined();
  });
});

describe('alert parameters', () => {
  it('has the 14 alert kinds, each with a default severity', () => {
    expect(Object.values(AlertKind)).toHaveLength(14);
    expect(Object.keys(DEFAULT_ALERT_SEVERITY).sort()).toEqual(Object.values(AlertKind).sort());
  });

  it('states thresholds as decimal strings, never numbers', () => {
    const amounts = [
      DEFAULT_ALERT_PARAMETERS.largeInflow.singleAmount,
      DEFAULT_ALERT_PARAMETERS.largeInflow.windowTotal,
      DEFAULT_ALERT_PARAMETERS.largeOutflow.singleAmount,
      DEFAULT_ALERT_PARAMETERS.largeOutflow.windowTotal,
      DEFAULT_ALERT_PARAMETERS.largeCardSpend.singleAmount,
    ];
    for (const amount of amounts) expect(amount).toMatch(DECIMAL_AMOUNT);
    expect(amounts).toEqual(['500000.00', '1000000.00', '500000.00', '1000000.00', '50000.00']);
  });
});
