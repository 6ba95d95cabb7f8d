import {
  EventTypes,
  LobbyService,
  describeProblems,
  validateEventPayload,
  type QueueTicketIssuedPayload,
} from '@crm/contracts';
import type { SimEvent } from '../core/event-factory';
import { populationEvents, type SimulationRun } from '../stream/bank-simulation';
import { mergeByTime } from '../stream/merge-by-time';
import { isLobbyOpen } from './opening-hours';
import { WALK_IN_SHARE } from './lobby-traffic';

const MONDAY_9 = Date.parse('2025-03-03T09:00:00+08:00');

/** The live stream (core banking and lobby merged) from the run's start up to `until`. */
function live(run: SimulationRun, until: string): { core: SimEvent[]; tickets: SimEvent[] } {
  const { stream, lobby } = populationEvents(run);
  const core: SimEvent[] = [];
  const tickets: SimEvent[] = [];
  const end = Date.parse(until);
  for (const event of mergeByTime(stream, lobby)) {
    if (Date.parse(event.time) >= end) break;
    (event.type === EventTypes.QueueTicketIssued ? tickets : core).push(event);
  }
  return { core, tickets };
}

const ticketOf = (event: SimEvent) => event.data as QueueTicketIssuedPayload;

describe('lobby queue tickets in the live stream', () => {
  // Two weeks of a mid-sized bank: about 700 tickets, enough for the shares below to be stable.
  const run = { seed: 42, customers: 2000, start: MONDAY_9 };
  const { core, tickets } = live(run, '2025-03-17T00:00:00+08:00');

  it('are issued only while the outlets are open, at the time on the ticket', () => {
    expect(tickets.length).toBeGreaterThan(500);
    for (const event of tickets) {
      expect(isLobbyOpen(Date.parse(event.time))).toBe(true);
      expect(ticketOf(event).issuedAt).toBe(event.time);
    }
  });

  it('come at a steady few percent of the rest of the stream, whatever the size of the bank', () => {
    const share = (r: { core: SimEvent[]; tickets: SimEvent[] }) => r.tickets.length / r.core.length;
    expect(share({ core, tickets })).toBeGreaterThan(0.02);
    expect(share({ core, tickets })).toBeLessThan(0.05);
    const smaller = live({ ...run, customers: 500 }, '2025-03-17T00:00:00+08:00');
    expect(share(smaller) / share({ core, tickets })).toBeGreaterThan(0.75);
    expect(share(smaller) / share({ core, tickets })).toBeLessThan(1.33);
  });

  it("mostly name a customer of the ticket's outlet; about one in five is a walk-in", () => {
    const { bank } = populationEvents(run);
    const homeOf = new Map(bank.customers.map((c) => [c.profile.customerId, c.profile.homeInstitutionId]));
    const walkIns = tickets.filter((e) => ticketOf(e).customerId === null);
    expect(walkIns.length / tickets.length).toBeGreaterThan(WALK_IN_SHARE - 0.05);
    expect(walkIns.length / tickets.length).toBeLessThan(WALK_IN_SHARE + 0.05);
    for (const event of tickets) {
      const { customerId, institutionId, ticketId } = ticketOf(event);
      if (customerId !== null) expect(homeOf.get(customerId)).toBe(institutionId);
      // Keyed by the customer, so a customer's tickets and transactions share a partition.
      expect(event.subject).toBe(customerId ?? ticketId);
    }
  });

  it('are mostly for cash, and for every service in time', () => {
    const counts = new Map<string, number>();
    for (const event of tickets)
      counts.set(ticketOf(event).service, (counts.get(ticketOf(event).service) ?? 0) + 1);
    const [mostCommon] = [...counts].sort(([, a], [, b]) => b - a)[0];
    expect(mostCommon).toBe(LobbyService.Cash);
    expect([...counts.keys()].sort()).toEqual(Object.values(LobbyService).sort());
  });

  it('validate against the contract, with unique ids and numbers counting up per outlet, day and counter', () => {
    for (const event of tickets) {
      const result = validateEventPayload(event.type, event.data);
      expect(result.ok ? '' : describeProblems(result.problems)).toBe('');
      expect(ticketOf(event).waitingAhead).toBeGreaterThanOrEqual(0);
    }
    expect(new Set(tickets.map((e) => ticketOf(e).ticketId)).size).toBe(tickets.length);
    const last = new Map<string, number>();
    for (const event of tickets) {
      const { institutionId, ticketNumber, issuedAt } = ticketOf(event);
      const counter = `${institutionId}|${issuedAt.slice(0, 10)}|${ticketNumber[0]}`;
      const number = Number(ticketNumber.slice(1));
      expect(number).toBe((last.get(counter) ?? 0) + 1);
      last.set(counter, number);
    }
  });

  it('are the same for the same seed and start, and leave the core-banking stream as it was', () => {
    const again = live(run, '2025-03-05T00:00:00+08:00');
    expect(again.tickets).toEqual(tickets.slice(0, again.tickets.length));
    const { stream } = populationEvents(run);
    expect(again.core).toEqual(again.core.map(() => stream.next().value));
  });

  it('start with the run: none before it on its first day, none at all when it starts after closing', () => {
    const afternoon = Date.parse('2025-03-03T15:00:00+08:00');
    const fromAfternoon = live({ ...run, start: afternoon }, '2025-03-04T00:00:00+08:00').tickets;
    expect(fromAfternoon.length).toBeGreaterThan(0);
    // The initial load comes first, so the stream starts a few seconds after the run.
    for (const event of fromAfternoon) expect(Date.parse(event.time)).toBeGreaterThan(afternoon);
    const evening = Date.parse('2025-03-03T18:00:00+08:00');
    expect(live({ ...run, start: evening }, '2025-03-04T09:00:00+08:00').tickets).toEqual([]);
  });
});
