import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '@crm/http';
import { AuthenticatedUser, CurrentUser, Role, Roles } from '@crm/security';
import { CobRunDto, CobRunIdParam, StartCobRunDto } from './cob.dto';
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
      '(audited). Answers at once with the run; a date already running answers with that run',
  })
  @ApiAcceptedResponse({ type: CobRunDto })
  @ApiProblems(422)
  start(@CurrentUser() user: AuthenticatedUser, @Body() body: StartCobRunDto): Promise<CobRunDto> {
    return this.cob.start(user, body.businessDate, body.shards);
  }

  @Get(':runId')
  @ApiOperation({ summary: 'A run and its progress, shard by shard' })
  @ApiOkResponse({ type: CobRunDto })
  @ApiProblems(404)
  find(@Param() params: CobRunIdParam): Promise<CobRunDto> {
    return this.cob.find(params.runId);
  }
}
