import { Controller, Get, MessageEvent, Sse } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Observable, from, map, mergeMap } from 'rxjs';
import { ApiProblems } from '@crm/http';
import { AuthenticatedUser, CurrentUser, Role, Roles } from '@crm/security';
import { LobbyCardDto, LobbyQueueDto } from './lobby.dto';
import { LobbyStreamService } from './lobby-stream.service';
import { LobbyService } from './lobby.service';

@ApiTags('lobby (大堂)')
@Controller('lobby')
@Roles(Role.LobbyManager, Role.InstitutionHead)
export class LobbyController {
  constructor(
    private readonly lobby: LobbyService,
    private readonly stream: LobbyStreamService,
  ) {}

  @Get('queue')
  @ApiOperation({
    summary:
      'Today’s tickets at the caller’s outlet (a head: their subtree’s outlets), newest first, each with its card',
  })
  @ApiOkResponse({ type: LobbyQueueDto })
  @ApiProblems()
  queue(@CurrentUser() user: AuthenticatedUser): Promise<LobbyQueueDto> {
    return this.lobby.queue(user);
  }

  @Sse('stream')
  @ApiOperation({
    summary:
      'Server-Sent Events: the card of each identified customer who takes a ticket at the caller’s outlets ' +
      '(event `card`, id the ticket). Open it, then read the queue for the tickets issued before.',
  })
  @ApiProduces('text/event-stream')
  @ApiOkResponse({ type: LobbyCardDto, description: 'A stream of `card` events' })
  @ApiProblems()
  live(@CurrentUser() user: AuthenticatedUser): Observable<MessageEvent> {
    return from(this.lobby.scopeOf(user)).pipe(
      mergeMap((scope) => this.stream.streamFor(scope)),
      map((card) => ({ type: 'card', id: card.ticketId, data: card })),
    );
  }
}
