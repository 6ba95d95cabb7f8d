import Decimal from 'decimal.js';
import {
  AccountKind,
  CreditDebitIndicator,
  EVENT_CATALOG,
  EventTypes,
  describeProblems,
  validateEventPayload,
  type AccountOpenedPayload,
  type TransactionPostedPayload,
  type TransactionReversedPayload,
} from '@crm/contracts';
import type { SimEvent } from '../core/event-factory';
import { populationEvents } from './bank-simulation';

const START = Date.parse('2025-03-01T09:00:00+08:00');
const take = (run: { seed: number; customers: number; start: number }, streamCount: number): SimEvent[] => {
  const { initialLoad, stream } = populationEvents(run);
  const events = [...initialLoad];
  for (const event of stream) {
    events.push(event);
    if (events.length >= initialLoad.length + streamCount) break;
  }
  return events;
};

describe('population events', () => {
  const run = { seed: 42, customers: 300, start: START };
  const events = take(run, 12_000);

  it('are identical for the same seed and start', () => {
    expect(take(run, 12_000)).toEqual(events);
  });

  it('differ for another seed, and carry new ids for another start', () => {
    const otherSeed = take({ ...run, seed: 7 }, 200);
    expect(otherSeed.map((e) => e.data)).not.toEqual(events.slice(0, otherSeed.length).map((e) => e.data));
    const later = take({ ...run, start: START + 60_000 }, 200);
    const ids = new Set(events.map((e) => e.id));
    expect(later.some((e) => ids.has(e.id))).toBe(false);
  });

  it('have UUID-shaped unique ids and times that never go backwards', () => {
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
    for (const event of events)
      expect(event.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const times = events.map((e) => Date.parse(e.time));
    expect(times.every((t, i) => i === 0 || t >= times[i - 1])).toBe(true);
    expect(events[0].time).toBe('2025-03-01T09:00:00.000+08:00');
  });

  it('every event validates against its contract class', () => {
    const invalid = events
      .map((e) => ({ e, result: validateEventPayload(e.type, e.data) }))
      .filter(({ result }) => !result.ok)
      .map(({ e, result }) => `${e.type}: ${result.ok ? '' : describeProblems(result.problems)}`);
    expect(invalid).toEqual([]);
  });

  it('covers every core-banking event type', () => {
    const corebankTypes = EVENT_CATALOG.filter((d) => d.topic.startsWith('corebank.'))
      .map((d) => d.type)
      .sort();
    const longer = take({ ...run, customers: 1000 }, 60_000);
    expect([...new Set(longer.map((e) => e.type))].sort()).toEqual(corebankTypes);
  });

  it('keys customer events by customer and organisation events by institution or manager', () => {
    for (const event of events) {
      const data = event.data as { customerId?: string; institutionId?: string; managerId?: string };
      if (event.type === EventTypes.InstitutionUpserted) expect(event.subject).toBe(data.institutionId);
      else if (event.type === EventTypes.ManagerUpserted) expect(event.subject).toBe(data.managerId);
      else expect(event.subject).toBe(data.customerId);
    }
  });

  it('keeps every account balance a running total, never negative on current accounts', () => {
    const balances = new Map<string, { kind: string; balance: Decimal }>();
    for (const event of events) {
      if (event.type === EventTypes.AccountOpened) {
        const opened = event.data as AccountOpenedPayload;
        balances.set(opened.accountId, { kind: opened.kind, balance: new Decimal(opened.balance.amount) });
      } else if (
        event.type === EventTypes.TransactionPosted ||
        event.type === EventTypes.TransactionReversed
      ) {
        const entry = event.data as TransactionPostedPayload | TransactionReversedPayload;
        const account = balances.get(entry.accountId)!;
        const credit = entry.creditDebitIndicator === CreditDebitIndicator.Credit;
        // A reversal moves the balance against the original entry's direction.
        const sign = (event.type === EventTypes.TransactionReversed ? !credit : credit) ? 1 : -1;
        account.balance = account.balance.plus(new Decimal(entry.amount.amount).times(sign));
        expect(entry.balanceAfter.amount).toBe(account.balance.toFixed(2));
        if (account.kind === AccountKind.Current) expect(account.balance.gte(0)).toBe(true);
      } else if (event.type === EventTypes.AccountClosed) {
        balances.get((event.data as { accountId: string }).accountId)!.balance = new Decimal(0);
      }
    }
  });
});
