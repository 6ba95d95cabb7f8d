import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '@crm/http';
import { AuthenticatedUser, CurrentUser, Roles } from '@crm/security';
import { FIGURE_READERS } from '../common/analytics-roles';
import { CustomerIdParam } from '../common/route-params.dto';
import {
  AggregateQueryDto,
  AsOfQueryDto,
  CustomerIndicatorsDto,
  IndicatorAggregatesDto,
} from './indicator.dto';
import { AggregateBy } from './indicator.repository';
import { IndicatorsService } from './indicators.service';

@ApiTags('indicators (营销指标)')
@Controller()
@Roles(...FIGURE_READERS)
export class IndicatorsController {
  constructor(private readonly indicators: IndicatorsService) {}

  @Get('customers/:customerId/indicators')
  @ApiOperation({
    summary:
      'A customer’s indicators at a close of business: assets, liabilities, daily averages, holdings, activity, ' +
      'channel shares, contribution (whole-bank figures: for those who see all the customer holds)',
  })
  @ApiOkResponse({ type: CustomerIndicatorsDto })
  @ApiProblems(404)
  ofCustomer(
    @CurrentUser() user: AuthenticatedUser,
    @Param() params: CustomerIdParam,
    @Query() query: AsOfQueryDto,
  ): Promise<CustomerIndicatorsDto> {
    return this.indicators.ofCustomer(user, params.customerId, query.businessDate);
  }

  @Get('indicator-aggregates/institutions')
  @ApiOperation({
    summary: 'Indicators summed per primary institution at a close of business, in your scope',
  })
  @ApiOkResponse({ type: IndicatorAggregatesDto })
  @ApiProblems(404)
  byInstitution(
    @CurrentUser() user: AuthenticatedUser,
    @Query() query: AggregateQueryDto,
  ): Promise<IndicatorAggregatesDto> {
    return this.indicators.aggregate(user, AggregateBy.Institution, query);
  }

  @Get('indicator-aggregates/managers')
  @ApiOperation({ summary: 'Indicators summed per primary manager at a close of business, in your scope' })
  @ApiOkResponse({ type: IndicatorAggregatesDto })
  @ApiProblems(404)
  byManager(
    @CurrentUser() user: AuthenticatedUser,
    @Query() query: AggregateQueryDto,
  ): Promise<IndicatorAggregatesDto> {
    return this.indicators.aggregate(user, AggregateBy.Manager, query);
  }
}
