import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '@crm/http';
import { AuthenticatedUser, CurrentUser, Roles } from '@crm/security';
import { CAMPAIGN_STAFF } from '../common/campaign-roles';
import { CampaignIdParam } from '../common/route-params.dto';
import { TargetUploadDto, TargetUploadResultDto } from './target.dto';
import { TargetsService } from './targets.service';

@ApiTags('campaigns (营销活动)')
@Controller('campaigns/:campaignId/targets')
@Roles(...CAMPAIGN_STAFF)
export class TargetsController {
  constructor(private readonly targets: TargetsService) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Add uploaded customer ids to a draft or submitted campaign’s list; ids outside the owner’s subtree are reported, not added (audited)',
  })
  @ApiOkResponse({ type: TargetUploadResultDto })
  @ApiProblems(404, 409, 422)
  upload(
    @CurrentUser() user: AuthenticatedUser,
    @Param() params: CampaignIdParam,
    @Body() body: TargetUploadDto,
  ): Promise<TargetUploadResultDto> {
    return this.targets.upload(user, params.campaignId, body);
  }
}
