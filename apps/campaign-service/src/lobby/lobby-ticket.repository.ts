import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { LobbyService, QueueTicketIssuedPayload } from '@crm/contracts';
import { schemaOf } from '@crm/persistence';
import { LobbyScope } from './lobby-scope.rule';

/** The notification channel on which a ticket with a customer is announced as its transaction commits. */
export const lobbyChannelOf = (schema: string): string => `${schema}_lobby_ticket`;

/** What a notification on the lobby channel carries: enough to pick the streams that want the card. */
export interface AnnouncedTicket {
  ticketId: string;
  institutionId: string;
}

/** The ticket a notification announces, or null for a payload that is none. */
export function announcedTicketOf(payload: string): AnnouncedTicket | null {
  try {
    const { ticketId, institutionId } = JSON.parse(payload) as Partial<AnnouncedTicket>;
    return typeof ticketId === 'string' && typeof institutionId === 'string'
      ? { ticketId, institutionId }
      : null;
  } catch {
    return null;
  }
}

export interface LobbyTicketRow {
  ticket_id: string;
  institution_id: string;
  customer_id: string | null;
  service: LobbyService;
  ticket_number: string;
  waiting_ahead: number;
  issued_at: Date;
  /** YYYY-MM-DD in the bank's time zone. */
  business_date: string;
}

const TICKET_COLUMNS = `t.ticket_id, t.institution_id, t.customer_id, t.service, t.ticket_number, t.waiting_ahead,
  t.issued_at, t.business_date::text AS business_date`;

/**
 * SQL: an outlet's current lobby day, the later of today and the day of its newest ticket. In a bank the
 * two agree; a lobby system whose clock runs ahead (the simulator's, in live mode) is followed rather
 * than shown an empty queue. `outlet` is an SQL expression, `today` a date parameter.
 */
const lobbyDayOf = (s: string, outlet: string, today: string): string =>
  `(SELECT greatest(${today}::date, max(d.business_date)) FROM ${s}.lobby_ticket d WHERE d.institution_id = ${outlet})`;

/** The outlets' queue tickets, for their current day. */
@Injectable()
export class LobbyTicketRepository {
  constructor(private readonly dataSource: DataSource) {}

  private get s(): string {
    return `"${schemaOf(this.dataSource)}"`;
  }

  /**
   * Records the ticket once (a replayed event changes nothing), drops the outlet's tickets of earlier
   * days, and announces a ticket with a customer on the lobby channel, heard when `tx` commits. Whether
   * the ticket was new.
   */
  async record(tx: EntityManager, ticket: QueueTicketIssuedPayload, businessDate: string): Promise<boolean> {
    const s = `"${schemaOf(tx.connection)}"`;
    const inserted: unknown[] = await tx.query(
      `INSERT INTO ${s}.lobby_ticket (ticket_id, institution_id, customer_id, service, ticket_number, waiting_ahead,
         issued_at, business_date)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (ticket_id) DO NOTHING
       RETURNING 1`,
      [
        ticket.ticketId,
        ticket.institutionId,
        ticket.customerId,
        ticket.service,
        ticket.ticketNumber,
        ticket.waitingAhead,
        ticket.issuedAt,
        businessDate,
      ],
    );
    if (inserted.length === 0) return false;
    await tx.query(`DELETE FROM ${s}.lobby_ticket WHERE institution_id = $1 AND business_date < $2`, [
      ticket.institutionId,
      businessDate,
    ]);
    if (ticket.customerId !== null) {
      const announced: AnnouncedTicket = { ticketId: ticket.ticketId, institutionId: ticket.institutionId };
      await tx.query(`SELECT pg_notify($1, $2)`, [
        lobbyChannelOf(schemaOf(tx.connection)),
        JSON.stringify(announced),
      ]);
    }
    return true;
  }

  async findOne(ticketId: string): Promise<LobbyTicketRow | undefined> {
    const rows: LobbyTicketRow[] = await this.dataSource.query(
      `SELECT ${TICKET_COLUMNS} FROM ${this.s}.lobby_ticket t WHERE t.ticket_id = $1`,
      [ticketId],
    );
    return rows[0];
  }

  /** The tickets of the scope's outlets on each one's current lobby day, newest first, at most `limit`. */
  async queue(scope: LobbyScope, today: string, limit: number): Promise<LobbyTicketRow[]> {
    const s = this.s;
    return this.dataSource.query(
      `SELECT ${TICKET_COLUMNS} FROM unnest($1::text[]) AS o(id)
         JOIN ${s}.lobby_ticket t ON t.institution_id = o.id AND t.business_date = ${lobbyDayOf(s, 'o.id', '$2')}
        ORDER BY t.issued_at DESC, t.ticket_id DESC LIMIT $3`,
      [scope.outletIds, today, limit],
    );
  }

  /** Whether the customer holds a ticket at the outlet on its current lobby day. */
  async isQueuing(outletId: string, customerId: string, today: string): Promise<boolean> {
    const s = this.s;
    const rows: unknown[] = await this.dataSource.query(
      `SELECT 1 FROM ${s}.lobby_ticket t
        WHERE t.institution_id = $1 AND t.customer_id = $2 AND t.business_date = ${lobbyDayOf(s, '$1', '$3')}
        LIMIT 1`,
      [outletId, customerId, today],
    );
    return rows.length > 0;
  }

  /** Tickets with a customer recorded since `since`, oldest first: what a listener that was away missed. */
  async announcedSince(since: Date, limit: number): Promise<AnnouncedTicket[]> {
    const rows: { ticket_id: string; institution_id: string }[] = await this.dataSource.query(
      `SELECT ticket_id, institution_id FROM ${this.s}.lobby_ticket
        WHERE customer_id IS NOT NULL AND recorded_at >= $1 ORDER BY recorded_at, ticket_id LIMIT $2`,
      [since, limit],
    );
    return rows.map((r) => ({ ticketId: r.ticket_id, institutionId: r.institution_id }));
  }
}
