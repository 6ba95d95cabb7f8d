import { CustomerKind, EventTypes, LobbyService, type QueueTicketIssuedPayload } from '@crm/contracts';
import { MS_PER_DAY, MS_PER_MINUTE, cstAt, cstDateOf, cstMidnight, toTimestamp } from '../core/calendar';
import type { EventFactory, SimEvent } from '../core/event-factory';
import { groupBy } from '../core/group-by.util';
import type { Prng } from '../core/prng';
import type { Bank, Customer } from '../population/bank.model';
import { lobbyOpenOn } from './opening-hours';

/**
 * How often a customer of average activity comes to their outlet: an individual about once in two
 * months, a company's cashier or accountant about twice a month. Scaled by the customer's activity,
 * like the rest of the stream, so tickets stay a steady share of it.
 */
export const VISITS_PER_DAY: Readonly<Record<CustomerKind, number>> = {
  [CustomerKind.Individual]: 0.015,
  [CustomerKind.Corporate]: 0.08,
};

/** Share of tickets taken by pressing the button instead of with a card or ID: the machine knows no one. */
export const WALK_IN_SHARE = 0.2;

/** What customers queue for: cash most of all. */
const SERVICES: Readonly<Record<CustomerKind, readonly (readonly [LobbyService, number])[]>> = {
  [CustomerKind.Individual]: [
    [LobbyService.Cash, 40],
    [LobbyService.Account, 15],
    [LobbyService.Wealth, 15],
    [LobbyService.Card, 10],
    [LobbyService.Loan, 8],
    [LobbyService.Other, 12],
  ],
  [CustomerKind.Corporate]: [
    [LobbyService.Cash, 45],
    [LobbyService.Account, 35],
    [LobbyService.Loan, 12],
    [LobbyService.Other, 8],
  ],
};

/** Minutes at the counter, [min, max], by service. */
const SERVICE_MINUTES: Readonly<Record<LobbyService, readonly [number, number]>> = {
  [LobbyService.Cash]: [3, 10],
  [LobbyService.Account]: [10, 25],
  [LobbyService.Wealth]: [15, 40],
  [LobbyService.Card]: [8, 20],
  [LobbyService.Loan]: [20, 45],
  [LobbyService.Other]: [5, 15],
};

/** Arrivals by hour of the day: the morning is busiest, the lunch hour quiet. */
const ARRIVALS_BY_HOUR: readonly (readonly [number, number])[] = [
  [9, 3],
  [10, 4],
  [11, 3],
  [12, 1],
  [13, 2],
  [14, 3],
  [15, 3],
  [16, 2],
];

/** Counters serving the queue at an outlet. */
const COUNTERS = 3;

interface Visit {
  at: number;
  outletId: string;
  /** Null when the ticket was taken without a card or ID. */
  customerId: string | null;
  corporate: boolean;
  service: LobbyService;
  serviceMs: number;
}

/** One outlet's queue on one day: ticket numbers per prefix, and when each counter is free. */
class OutletQueue {
  private issued = 0;
  private readonly numbers = new Map<string, number>();
  private readonly counterFreeAt = new Array<number>(COUNTERS).fill(0);
  private readonly starts: number[] = [];

  /** Queues a visit first come, first served; returns its sequence, number and the tickets still ahead. */
  take(visit: Visit, prefix: string): { sequence: number; number: number; waitingAhead: number } {
    this.issued += 1;
    const number = (this.numbers.get(prefix) ?? 0) + 1;
    this.numbers.set(prefix, number);
    const waitingAhead = this.starts.filter((start) => start > visit.at).length;
    const counter = this.counterFreeAt.indexOf(Math.min(...this.counterFreeAt));
    const start = Math.max(visit.at, this.counterFreeAt[counter]);
    this.counterFreeAt[counter] = start + visit.serviceMs;
    this.starts.push(start);
    return { sequence: this.issued, number, waitingAhead };
  }
}

/**
 * The lobby queueing machines of every outlet (叫号机): the customers of an outlet come in during opening
 * hours at a rate set by their activity, take a ticket for a service, and wait behind those not yet
 * served. Generated day by day in simulated time, lazily and without end, like the activity stream.
 */
export class LobbyTraffic {
  private readonly customersAt: Map<string, Customer[]>;
  private readonly runTag: string;

  constructor(
    bank: Bank,
    private readonly factory: EventFactory,
    private readonly prng: Prng,
    private readonly start: number,
  ) {
    this.customersAt = groupBy(bank.customers, (c) => c.profile.homeInstitutionId);
    this.runTag = prng.digits(6);
  }

  /** Every ticket from `start` on, in time order. */
  *events(): Generator<SimEvent> {
    if (this.customersAt.size === 0) return;
    for (let day = cstDateOf(this.start); ; day = cstDateOf(cstMidnight(day) + MS_PER_DAY)) {
      yield* this.ticketsOf(day);
    }
  }

  private *ticketsOf(day: string): Generator<SimEvent> {
    const { opens, closes } = lobbyOpenOn(day);
    const visits: Visit[] = [];
    for (const [outletId, customers] of this.customersAt) {
      for (const customer of customers) {
        const kind = customer.profile.kind;
        if (!this.prng.chance(VISITS_PER_DAY[kind] * customer.activity)) continue;
        const hour = this.prng.weighted(ARRIVALS_BY_HOUR);
        const at = cstAt(day, hour) + this.prng.int(0, 60 * MS_PER_MINUTE - 1);
        const service = this.prng.weighted(SERVICES[kind]);
        const [min, max] = SERVICE_MINUTES[service];
        const walkIn = this.prng.chance(WALK_IN_SHARE);
        // A visit planned before the run starts (its first, partial day) did not happen.
        if (at < this.start || at < opens || at >= closes) continue;
        visits.push({
          at,
          outletId,
          customerId: walkIn ? null : customer.profile.customerId,
          corporate: kind === CustomerKind.Corporate,
          service,
          serviceMs: this.prng.int(min, max) * MS_PER_MINUTE,
        });
      }
    }
    visits.sort((a, b) => a.at - b.at);
    const queues = new Map<string, OutletQueue>();
    for (const visit of visits) {
      const queue = queues.get(visit.outletId) ?? new OutletQueue();
      queues.set(visit.outletId, queue);
      yield this.ticket(visit, day, queue);
    }
  }

  private ticket(visit: Visit, day: string, queue: OutletQueue): SimEvent {
    // Companies queue at the corporate counter (B), wealth clients at the VIP desk (V), everyone else at A.
    const prefix = visit.corporate ? 'B' : visit.service === LobbyService.Wealth ? 'V' : 'A';
    const { sequence, number, waitingAhead } = queue.take(visit, prefix);
    const ticketId = `Q${visit.outletId}${day.replace(/-/g, '')}${this.runTag}${String(sequence).padStart(4, '0')}`;
    const data: QueueTicketIssuedPayload = {
      ticketId,
      institutionId: visit.outletId,
      customerId: visit.customerId,
      service: visit.service,
      ticketNumber: `${prefix}${String(number).padStart(3, '0')}`,
      waitingAhead,
      issuedAt: toTimestamp(visit.at),
    };
    return this.factory.create(EventTypes.QueueTicketIssued, visit.customerId ?? ticketId, visit.at, data);
  }
}
