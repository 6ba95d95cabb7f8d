import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '@crm/http';
import { AuthenticatedUser, CurrentUser, Role, Roles } from '@crm/security';
import {
  BackfillDto,
  CobRunDto,
  CobRunIdParam,
  CobRunListDto,
  CobRunsQuery,
  StartBackfillDto,
  StartCobRunDto,
} from './cob.dto';
import { CobService } from './cob.service';

@ApiTags('close of business (日终批处理)')
@Controller('cob-runs')
@Roles(Role.HeadOfficeAdmin)
export class CobController {
  constructor(private readonly cob: CobService) {}

  @Post()
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary:
      'Run the close of business for a date: indicators, value tiers, lifecycle, RFM, changed profiles published ' +
      '(audited). Its shards are queued for every instance’s workers; answers at once with the run. A date ' +
      'already running answers with that run (409 if `shards` names another number)',
  })
  @ApiAcceptedResponse({ type: CobRunDto })
  @ApiProblems(409, 422)
  start(@CurrentUser() user: AuthenticatedUser, @Body() body: StartCobRunDto): Promise<CobRunDto> {
    return this.cob.start(user, body.businessDate, body.shards);
  }

  @Post('backfills')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary:
      'Run every business date from `from` to `to`, one after the other, each as of its own end (audited). A ' +
      'range already being backfilled is not queued twice; a date whose run fails stops it',
  })
  @ApiAcceptedResponse({ type: BackfillDto })
  @ApiProblems(422)
  backfill(@CurrentUser() user: AuthenticatedUser, @Body() body: StartBackfillDto): Promise<BackfillDto> {
    return this.cob.startBackfill(user, body.from, body.to, body.shards);
  }

  @Get()
  @ApiOperation({
    summary: 'The runs of a range of business dates (scheduled, started, backfilled) and their progress',
  })
  @ApiOkResponse({ type: CobRunListDto })
  @ApiProblems()
  async list(@Query() query: CobRunsQuery): Promise<CobRunListDto> {
    return { runs: await this.cob.list(query.from, query.to) };
  }

  @Get(':runId')
  @ApiOperation({ summary: 'A run and its progress, shard by shard' })
  @ApiOkResponse({ type: CobRunDto })
  @ApiProblems(404)
  find(@Param() params: CobRunIdParam): Promise<CobRunDto> {
    return this.cob.find(params.runId);
  }
}
