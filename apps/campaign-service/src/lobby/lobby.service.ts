import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { BusinessCalendar } from '@crm/calendar';
import { MarketingChannel, QueueTicketIssuedPayload } from '@crm/contracts';
import { AuthenticatedUser, DataScopeResolver } from '@crm/security';
import { AnalyticProfileRepository } from '../analytics/analytic-profile.repository';
import { CustomerFactsRepository } from '../customers/customer-facts.repository';
import { OfferPreview, OffersService } from '../offers/offers.service';
import { LobbyCardDto, LobbyQueueDto } from './lobby.dto';
import { LobbyScope, lobbyScopeOf } from './lobby-scope.rule';
import { LobbyTicketRepository, LobbyTicketRow } from './lobby-ticket.repository';

/** Tickets a queue lists at most: a branch head's subtree may issue thousands a day. */
const QUEUE_LIMIT = 200;
/** Offer previews computed at once for a queue, so a long one does not take every pooled connection. */
const PREVIEWS_AT_ONCE = 8;
const WALK_IN = 'walk-in';

/**
 * The lobby (大堂): the tickets the outlets' queueing machines issue, each with a card for the lobby
 * manager when the customer identified themselves: who is waiting (and who they are to the bank: tier,
 * lifecycle stage, churn score), what they hold, what to offer.
 */
@Injectable()
export class LobbyService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly tickets: LobbyTicketRepository,
    private readonly facts: CustomerFactsRepository,
    private readonly profiles: AnalyticProfileRepository,
    private readonly offers: OffersService,
    private readonly scopes: DataScopeResolver,
    private readonly calendar: BusinessCalendar,
  ) {}

  /**
   * Keeps the ticket for its outlet's day, whenever it was issued: a lobby system whose clock runs
   * ahead is followed (see the repository's lobby day). Announced to the lobby streams on commit.
   */
  async ticketIssued(tx: EntityManager, ticket: QueueTicketIssuedPayload): Promise<void> {
    await this.tickets.record(tx, ticket, this.calendar.dateOf(ticket.issuedAt));
  }

  scopeOf(user: AuthenticatedUser): Promise<LobbyScope> {
    return lobbyScopeOf(user, (institutionId) => this.scopes.subtreeOf(institutionId));
  }

  /** The tickets of the caller's outlets on their current day, newest first, with their cards. */
  async queue(user: AuthenticatedUser): Promise<LobbyQueueDto> {
    const scope = await this.scopeOf(user);
    const rows = await this.tickets.queue(scope, this.calendar.today(), QUEUE_LIMIT + 1);
    return {
      tickets: await this.cardsOf(rows.slice(0, QUEUE_LIMIT)),
      truncated: rows.length > QUEUE_LIMIT,
    };
  }

  /** The card of a ticket with a customer; null for a walk-in or a ticket no longer kept. */
  async cardOf(ticketId: string): Promise<LobbyCardDto | null> {
    const row = await this.tickets.findOne(ticketId);
    if (!row || row.customer_id === null) return null;
    const [card] = await this.cardsOf([row]);
    return card;
  }

  private async cardsOf(rows: readonly LobbyTicketRow[]): Promise<LobbyCardDto[]> {
    const now = Date.now();
    const customerIds = [
      ...new Set(rows.map((r) => r.customer_id).filter((id): id is string => id !== null)),
    ];
    const [holdings, profiles] = await Promise.all([
      this.facts.holdingsOf(this.dataSource.manager, customerIds),
      this.profiles.summariesOf(this.dataSource.manager, customerIds),
    ]);
    const previews = new Map<string, OfferPreview>();
    for (let i = 0; i < customerIds.length; i += PREVIEWS_AT_ONCE) {
      const batch = customerIds.slice(i, i + PREVIEWS_AT_ONCE);
      const answers = await Promise.all(
        batch.map((id) => this.offers.preview(id, MarketingChannel.Lobby, now)),
      );
      batch.forEach((id, j) => previews.set(id, answers[j]));
    }
    return rows.map((row) => {
      const preview = row.customer_id === null ? null : previews.get(row.customer_id)!;
      return {
        ticketId: row.ticket_id,
        institutionId: row.institution_id,
        businessDate: row.business_date,
        ticketNumber: row.ticket_number,
        service: row.service,
        waitingAhead: row.waiting_ahead,
        issuedAt: row.issued_at.toISOString(),
        customerId: row.customer_id,
        holdings:
          row.customer_id === null
            ? null
            : (holdings.get(row.customer_id) ?? { productCodes: [], byKind: {} }),
        profile: row.customer_id === null ? null : (profiles.get(row.customer_id) ?? null),
        offers: preview?.offers ?? [],
        reason: preview ? preview.reason : WALK_IN,
      };
    });
  }
}
