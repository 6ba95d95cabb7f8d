import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { EMPTY, Observable, Subject, catchError, concatMap, filter, from } from 'rxjs';
import { DataSource } from 'typeorm';
import { ChannelListener, schemaOf } from '@crm/persistence';
import { LobbyCardDto } from './lobby.dto';
import { LobbyScope } from './lobby-scope.rule';
import {
  AnnouncedTicket,
  LobbyTicketRepository,
  announcedTicketOf,
  lobbyChannelOf,
} from './lobby-ticket.repository';
import { LobbyService } from './lobby.service';

/**
 * After the listener was away, the tickets recorded since this long before the loss was noticed are
 * announced again: a connection dropped by the network is noticed late, and clocks differ a little.
 */
const REPLAY_MARGIN_MS = 30_000;
const REPLAY_LIMIT = 1_000;
/** Tickets announced lately, so that a replay does not announce them twice. */
const ANNOUNCED_REMEMBERED = 10_000;

/** A ticket announced on this instance, with its card being built once for every stream that wants it. */
interface IssuedCard {
  institutionId: string;
  card: Promise<LobbyCardDto | null>;
}

/**
 * Lobby cards as their tickets commit, from the lobby channel (NOTIFY is sent in the recording
 * transaction, so whichever instance consumed the ticket, every instance hears it once committed).
 * Each instance builds a ticket's card once and hands it to the streams watching its outlet. When the
 * listener's connection comes back after a loss, the tickets recorded meanwhile are announced then.
 */
@Injectable()
export class LobbyStreamService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(LobbyStreamService.name);
  private readonly issued = new Subject<IssuedCard>();
  private readonly announced = new Set<string>();
  private readonly listener: ChannelListener;

  constructor(
    dataSource: DataSource,
    private readonly lobby: LobbyService,
    private readonly tickets: LobbyTicketRepository,
  ) {
    this.listener = new ChannelListener(dataSource, lobbyChannelOf(schemaOf(dataSource)), {
      notified: (payload) => this.notified(payload),
      resumed: (lostAt) => void this.replaySince(lostAt),
      lost: (error) =>
        this.logger.warn({ msg: 'lobby stream listener lost; reconnecting', errorClass: error.name }),
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.listener.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.listener.close();
    this.issued.complete();
  }

  /**
   * The cards of tickets issued from now on at the scope's outlets, in the order they were announced.
   * An error (a card that cannot be built) ends this stream, never another outlet's nor the process;
   * the client reconnects as SSE clients do, and reads the queue for what it missed.
   */
  streamFor(scope: LobbyScope): Observable<LobbyCardDto> {
    const outlets = new Set(scope.outletIds);
    return this.issued.pipe(
      filter((issued) => outlets.has(issued.institutionId)),
      concatMap((issued) => from(issued.card)),
      filter((card): card is LobbyCardDto => card !== null),
      catchError((error: unknown) => {
        this.logger.error({ msg: 'lobby stream ended by an error', errorClass: (error as Error)?.name });
        return EMPTY;
      }),
    );
  }

  private notified(payload: string): void {
    const ticket = announcedTicketOf(payload);
    if (ticket) this.announce(ticket);
    else
      this.logger.warn({ msg: 'lobby channel carried a payload that is no ticket', length: payload.length });
  }

  private announce(ticket: AnnouncedTicket): void {
    if (this.announced.has(ticket.ticketId)) return;
    this.announced.add(ticket.ticketId);
    if (this.announced.size > ANNOUNCED_REMEMBERED)
      this.announced.delete(this.announced.values().next().value as string);
    // No stream open on this instance: no card to build.
    if (!this.issued.observed) return;
    const card = this.lobby.cardOf(ticket.ticketId);
    // Each stream that wants the card awaits it (and ends on its error); none may leave it unhandled.
    card.catch(() => undefined);
    this.issued.next({ institutionId: ticket.institutionId, card });
  }

  private async replaySince(lostAt: Date): Promise<void> {
    try {
      const missed = await this.tickets.announcedSince(
        new Date(lostAt.getTime() - REPLAY_MARGIN_MS),
        REPLAY_LIMIT,
      );
      if (missed.length === REPLAY_LIMIT)
        this.logger.warn({
          msg: 'lobby stream replayed only the first tickets recorded while away',
          replayed: missed.length,
        });
      for (const ticket of missed) this.announce(ticket);
    } catch (error) {
      this.logger.warn({
        msg: 'lobby stream could not replay tickets recorded while away',
        errorClass: (error as Error).name,
      });
    }
  }
}
