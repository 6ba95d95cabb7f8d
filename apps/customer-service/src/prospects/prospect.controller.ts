import { Body, Controller, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthenticatedUser, CurrentUser, Roles } from '@crm/security';
import { ApiProblems, RateLimit } from '@crm/http';
import { CUSTOMER_EDITORS } from '../common/customer-roles';
import { ProspectIdParam } from '../common/route-params.dto';
import { CreateProspectDto, MatchProspectDto, ProspectDto, UpdateProspectDto } from './prospect.dto';
import { ProspectService } from './prospect.service';

@ApiTags('prospects')
@Controller('prospects')
export class ProspectController {
  constructor(private readonly prospects: ProspectService) {}

  @Post()
  @Roles(...CUSTOMER_EDITORS)
  @ApiOperation({
    summary: 'Record a prospect (潜在客户)',
    description:
      'Owned by the caller’s institution and manager. ID and phone numbers are stored encrypted. Setting idNumber, ' +
      'phone or birthDate needs pii:write (403 otherwise).',
  })
  @ApiCreatedResponse({ type: ProspectDto })
  @ApiProblems(400)
  create(@CurrentUser() user: AuthenticatedUser, @Body() body: CreateProspectDto): Promise<ProspectDto> {
    return this.prospects.create(user, body);
  }

  @Get(':prospectId')
  @Roles(...CUSTOMER_EDITORS)
  @RateLimit('reveal')
  @ApiOperation({ summary: 'One prospect, with its match to a core customer if any' })
  @ApiOkResponse({ type: ProspectDto })
  @ApiProblems(400, 404, 429)
  get(@CurrentUser() user: AuthenticatedUser, @Param() params: ProspectIdParam): Promise<ProspectDto> {
    return this.prospects.get(user, params.prospectId);
  }

  @Patch(':prospectId')
  @Roles(...CUSTOMER_EDITORS)
  @ApiOperation({
    summary: 'Edit a prospect',
    description: 'Setting idNumber, phone or birthDate needs pii:write (403 otherwise).',
  })
  @ApiOkResponse({ type: ProspectDto })
  @ApiProblems(400, 404)
  update(
    @CurrentUser() user: AuthenticatedUser,
    @Param() params: ProspectIdParam,
    @Body() body: UpdateProspectDto,
  ): Promise<ProspectDto> {
    return this.prospects.update(user, params.prospectId, body);
  }

  @Post(':prospectId/match')
  @HttpCode(200)
  @Roles(...CUSTOMER_EDITORS)
  @ApiOperation({
    summary: 'Match a prospect to a core-banking customer by hand',
    description: 'Prospects whose ID number matches an arriving core customer are matched automatically.',
  })
  @ApiOkResponse({ type: ProspectDto })
  @ApiProblems(400, 404, 409)
  match(
    @CurrentUser() user: AuthenticatedUser,
    @Param() params: ProspectIdParam,
    @Body() body: MatchProspectDto,
  ): Promise<ProspectDto> {
    return this.prospects.match(user, params.prospectId, body);
  }
}
