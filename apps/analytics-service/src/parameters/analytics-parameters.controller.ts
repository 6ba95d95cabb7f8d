import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '@crm/http';
import { AuthenticatedUser, CurrentUser, Role, Roles } from '@crm/security';
import {
  ChurnParametersDto,
  ChurnWarningParametersDto,
  ContributionParametersDto,
  PotentialTagParametersDto,
  PotentialTagsDto,
  ContributionSpreadsDto,
  ValueTierParametersDto,
  ValueTierThresholdsDto,
} from './analytics-parameters.dto';
import { AnalyticsParametersService } from './analytics-parameters.service';

@ApiTags('analytics parameters (分析参数)')
@Controller('analytics-parameters')
@Roles(Role.HeadOfficeAdmin)
export class AnalyticsParametersController {
  constructor(private readonly parameters: AnalyticsParametersService) {}

  @Get('value-tiers')
  @ApiOperation({ summary: 'The value-tier thresholds in force (客户价值分层), or the defaults' })
  @ApiOkResponse({ type: ValueTierParametersDto })
  @ApiProblems()
  valueTiers(): Promise<ValueTierParametersDto> {
    return this.parameters.valueTiers();
  }

  @Put('value-tiers')
  @ApiOperation({
    summary: 'Set the value-tier thresholds from the next close of business on (audited)',
  })
  @ApiOkResponse({ type: ValueTierParametersDto })
  @ApiProblems()
  setValueTiers(
    @CurrentUser() user: AuthenticatedUser,
    @Body() body: ValueTierThresholdsDto,
  ): Promise<ValueTierParametersDto> {
    return this.parameters.setValueTiers(user, body);
  }

  @Get('contribution-spreads')
  @ApiOperation({ summary: 'The transfer-price spreads contribution is estimated with, or the defaults' })
  @ApiOkResponse({ type: ContributionParametersDto })
  @ApiProblems()
  contributionSpreads(): Promise<ContributionParametersDto> {
    return this.parameters.contributionSpreads();
  }

  @Put('contribution-spreads')
  @ApiOperation({ summary: 'Set the transfer-price spreads from the next close of business on (audited)' })
  @ApiOkResponse({ type: ContributionParametersDto })
  @ApiProblems()
  setContributionSpreads(
    @CurrentUser() user: AuthenticatedUser,
    @Body() body: ContributionSpreadsDto,
  ): Promise<ContributionParametersDto> {
    return this.parameters.setContributionSpreads(user, body);
  }

  @Get('potential-tags')
  @ApiOperation({
    summary: 'The thresholds of the potential-customer tags in force (潜力客户标签), or the defaults',
  })
  @ApiOkResponse({ type: PotentialTagParametersDto })
  @ApiProblems()
  potentialTags(): Promise<PotentialTagParametersDto> {
    return this.parameters.potentialTags();
  }

  @Put('potential-tags')
  @ApiOperation({ summary: 'Set the potential-tag thresholds from the next close of business on (audited)' })
  @ApiOkResponse({ type: PotentialTagParametersDto })
  @ApiProblems()
  setPotentialTags(
    @CurrentUser() user: AuthenticatedUser,
    @Body() body: PotentialTagsDto,
  ): Promise<PotentialTagParametersDto> {
    return this.parameters.setPotentialTags(user, body);
  }

  @Get('churn-warning')
  @ApiOperation({
    summary:
      'The churn score’s weights and thresholds and the warning line in force (流失预警), or the defaults',
  })
  @ApiOkResponse({ type: ChurnWarningParametersDto })
  @ApiProblems()
  churnWarning(): Promise<ChurnWarningParametersDto> {
    return this.parameters.churnWarning();
  }

  @Put('churn-warning')
  @ApiOperation({
    summary:
      'Set the churn weights, thresholds and warning line from the next close of business on (audited)',
  })
  @ApiOkResponse({ type: ChurnWarningParametersDto })
  @ApiProblems()
  setChurnWarning(
    @CurrentUser() user: AuthenticatedUser,
    @Body() body: ChurnParametersDto,
  ): Promise<ChurnWarningParametersDto> {
    return this.parameters.setChurnWarning(user, body);
  }
}
