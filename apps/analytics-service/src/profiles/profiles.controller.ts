import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '@crm/http';
import { AuthenticatedUser, CurrentUser, Roles } from '@crm/security';
import { FIGURE_READERS } from '../common/analytics-roles';
import { CustomerIdParam } from '../common/route-params.dto';
import { AsOfQueryDto } from '../indicators/indicator.dto';
import { CustomerProfileDto, TierHistoryDto } from './profile.dto';
import { ProfilesService } from './profiles.service';

@ApiTags('customer profiles (客户画像)')
@Controller('customers/:customerId')
@Roles(...FIGURE_READERS)
export class ProfilesController {
  constructor(private readonly profiles: ProfilesService) {}

  @Get('profile')
  @ApiOperation({ summary: 'A customer’s value tier, lifecycle stage and RFM at a close of business' })
  @ApiOkResponse({ type: CustomerProfileDto })
  @ApiProblems(404)
  ofCustomer(
    @CurrentUser() user: AuthenticatedUser,
    @Param() params: CustomerIdParam,
    @Query() query: AsOfQueryDto,
  ): Promise<CustomerProfileDto> {
    return this.profiles.ofCustomer(user, params.customerId, query.businessDate);
  }

  @Get('value-tier-changes')
  @ApiOperation({ summary: 'Every change of a customer’s value tier, with its business date (客户分层历史)' })
  @ApiOkResponse({ type: TierHistoryDto })
  @ApiProblems(404)
  tierHistory(
    @CurrentUser() user: AuthenticatedUser,
    @Param() params: CustomerIdParam,
  ): Promise<TierHistoryDto> {
    return this.profiles.tierHistory(user, params.customerId);
  }
}
