import { Body, Controller, HttpCode, Get, Param, Post, Put, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '@crm/http';
import { AuthenticatedUser, CurrentUser, Roles } from '@crm/security';
import { CAMPAIGN_STAFF } from '../common/campaign-roles';
import { CampaignIdParam } from '../common/route-params.dto';
import {
  CampaignDraftDto,
  CampaignDto,
  CampaignPageDto,
  CampaignQueryDto,
  CampaignTransitionDto,
  CampaignUpdateDto,
} from './campaign.dto';
import { CampaignsService } from './campaigns.service';

@ApiTags('campaigns (营销活动)')
@Controller('campaigns')
@Roles(...CAMPAIGN_STAFF)
export class CampaignsController {
  constructor(private readonly campaigns: CampaignsService) {}

  @Post()
  @ApiOperation({ summary: 'Draft a campaign for an institution of the caller’s subtree (audited)' })
  @ApiCreatedResponse({ type: CampaignDto })
  @ApiProblems(404)
  create(@CurrentUser() user: AuthenticatedUser, @Body() body: CampaignDraftDto): Promise<CampaignDto> {
    return this.campaigns.create(user, body);
  }

  @Get()
  @ApiOperation({ summary: 'Campaigns of the caller’s subtree, newest first; keyset pages' })
  @ApiOkResponse({ type: CampaignPageDto })
  @ApiProblems()
  list(@CurrentUser() user: AuthenticatedUser, @Query() query: CampaignQueryDto): Promise<CampaignPageDto> {
    return this.campaigns.list(user, query);
  }

  @Get(':campaignId')
  @ApiOperation({ summary: 'One campaign with its history and its targets by arm and state' })
  @ApiOkResponse({ type: CampaignDto })
  @ApiProblems(404)
  get(@CurrentUser() user: AuthenticatedUser, @Param() params: CampaignIdParam): Promise<CampaignDto> {
    return this.campaigns.get(user, params.campaignId);
  }

  @Put(':campaignId')
  @ApiOperation({
    summary: 'Edit a draft (409 if it changed since `version` or is no longer a draft; audited)',
  })
  @ApiOkResponse({ type: CampaignDto })
  @ApiProblems(404, 409)
  update(
    @CurrentUser() user: AuthenticatedUser,
    @Param() params: CampaignIdParam,
    @Body() body: CampaignUpdateDto,
  ): Promise<CampaignDto> {
    return this.campaigns.update(user, params.campaignId, body);
  }

  @Post(':campaignId/transitions')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Submit, approve (someone else: four eyes), reject, launch (materialises a search audience), pause, resume, complete or cancel (audited)',
  })
  @ApiOkResponse({ type: CampaignDto })
  @ApiProblems(404, 409)
  act(
    @CurrentUser() user: AuthenticatedUser,
    @Param() params: CampaignIdParam,
    @Body() body: CampaignTransitionDto,
  ): Promise<CampaignDto> {
    return this.campaigns.act(user, params.campaignId, body);
  }
}
