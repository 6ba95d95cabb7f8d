import { Controller, Get, Param, StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '@crm/http';
import { AuthenticatedUser, CurrentUser, Roles } from '@crm/security';
import { CAMPAIGN_STAFF } from '../common/campaign-roles';
import { CampaignIdParam } from '../common/route-params.dto';
import { EvaluationDto } from './evaluation.dto';
import { EvaluationService } from './evaluation.service';

const LIVE_OR_FINAL =
  '`phase` says whether the figures may still move: live while the campaign runs, attributing after it ended ' +
  'until the attribution window closes, final after.';

@ApiTags('campaign evaluation (营销评估)')
@Controller('campaigns')
@Roles(...CAMPAIGN_STAFF)
export class EvaluationController {
  constructor(private readonly evaluation: EvaluationService) {}

  @Get(':campaignId/evaluation')
  @ApiOperation({
    summary:
      'A campaign judged against its control group: targeted, contacted, suppressed by reason, responded, converted, uplift with its 95% interval, costs, contacts per customer',
    description: LIVE_OR_FINAL,
  })
  @ApiOkResponse({ type: EvaluationDto })
  @ApiProblems(404)
  evaluate(@CurrentUser() user: AuthenticatedUser, @Param() params: CampaignIdParam): Promise<EvaluationDto> {
    return this.evaluation.evaluate(user, params.campaignId);
  }

  @Get(':campaignId/evaluation.csv')
  @ApiOperation({
    summary: 'The evaluation as CSV: a row for treatment, control and both together',
    description: `The comparison of the arms (uplift, its interval, cost per incremental conversion) is on the total row. ${LIVE_OR_FINAL}`,
  })
  @ApiProduces('text/csv')
  @ApiOkResponse({
    description: 'CSV with a header row (a file download)',
    schema: { type: 'string', format: 'binary' },
  })
  @ApiProblems(404)
  async csv(
    @CurrentUser() user: AuthenticatedUser,
    @Param() params: CampaignIdParam,
  ): Promise<StreamableFile> {
    return new StreamableFile(Buffer.from(await this.evaluation.csv(user, params.campaignId)), {
      type: 'text/csv; charset=utf-8',
      disposition: `attachment; filename="${params.campaignId}-evaluation.csv"`,
    });
  }

  @Get(':campaignId/evaluation.svg')
  @ApiOperation({
    summary: 'The evaluation as a chart: conversion rate per arm, and the uplift with its 95% interval',
    description: LIVE_OR_FINAL,
  })
  @ApiProduces('image/svg+xml')
  @ApiOkResponse({ description: 'An SVG image', schema: { type: 'string', format: 'binary' } })
  @ApiProblems(404)
  async svg(
    @CurrentUser() user: AuthenticatedUser,
    @Param() params: CampaignIdParam,
  ): Promise<StreamableFile> {
    return new StreamableFile(Buffer.from(await this.evaluation.svg(user, params.campaignId)), {
      type: 'image/svg+xml; charset=utf-8',
    });
  }
}
