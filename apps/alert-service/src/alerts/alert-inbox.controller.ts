import { Body, Controller, Get, MessageEvent, Param, Post, Query, Sse } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Observable, from, map, mergeMap } from 'rxjs';
import { AuthenticatedUser, CurrentUser, Roles } from '@crm/security';
import { ApiProblems } from '@crm/http';
import { ALERT_READERS } from '../common/alert-roles';
import {
  AlertCountDto,
  AlertDto,
  AlertPageDto,
  AlertQueryDto,
  CountsQueryDto,
  ResolveAlertDto,
} from './alert.dto';
import { AlertInboxService } from './alert-inbox.service';
import { AlertStreamService } from './alert-stream.service';

@ApiTags('alerts (提醒)')
@Controller('alerts')
@Roles(...ALERT_READERS)
export class AlertInboxController {
  constructor(
    private readonly inbox: AlertInboxService,
    private readonly stream: AlertStreamService,
  ) {}

  @Get()
  @ApiOperation({
    summary:
      'The caller’s alerts, newest first (a manager’s own, a head’s subtree, head office all); keyset pages',
  })
  @ApiOkResponse({ type: AlertPageDto })
  @ApiProblems()
  list(@CurrentUser() user: AuthenticatedUser, @Query() query: AlertQueryDto): Promise<AlertPageDto> {
    return this.inbox.list(user, query);
  }

  @Get('counts')
  @ApiOperation({ summary: 'How many of the caller’s alerts there are of each kind' })
  @ApiOkResponse({ type: [AlertCountDto] })
  @ApiProblems()
  counts(@CurrentUser() user: AuthenticatedUser, @Query() query: CountsQueryDto): Promise<AlertCountDto[]> {
    return this.inbox.counts(user, query.status);
  }

  @Sse('stream')
  @ApiOperation({
    summary:
      'Server-Sent Events: each new alert the caller may see, as it is raised (event `alert`, data an Alert)',
  })
  @ApiProduces('text/event-stream')
  @ApiOkResponse({ type: AlertDto, description: 'A stream of `alert` events' })
  @ApiProblems()
  live(@CurrentUser() user: AuthenticatedUser): Observable<MessageEvent> {
    return from(this.inbox.scopeOf(user)).pipe(
      mergeMap((scope) => this.stream.streamFor(scope)),
      map((alert) => ({ type: 'alert', id: alert.id, data: alert })),
    );
  }

  @Get(':id')
  @ApiOperation({ summary: 'One alert within the caller’s scope' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: AlertDto })
  @ApiProblems(404)
  get(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string): Promise<AlertDto> {
    return this.inbox.get(user, id);
  }

  @Post(':id/acknowledge')
  @ApiOperation({ summary: 'Acknowledge an alert (idempotent; audited)' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: AlertDto })
  @ApiProblems(404)
  acknowledge(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string): Promise<AlertDto> {
    return this.inbox.acknowledge(user, id);
  }

  @Post(':id/resolve')
  @ApiOperation({ summary: 'Resolve an alert with an outcome note (audited)' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: AlertDto })
  @ApiProblems(404, 409)
  resolve(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id') id: string,
    @Body() body: ResolveAlertDto,
  ): Promise<AlertDto> {
    return this.inbox.resolve(user, id, body.outcome);
  }
}
