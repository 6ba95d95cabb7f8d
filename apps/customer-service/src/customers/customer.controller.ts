import { Controller, Get, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblems, RateLimit } from '@crm/http';
import { AuthenticatedUser, CurrentUser, Roles } from '@crm/security';
import { CUSTOMER_READERS } from '../common/customer-roles';
import { CustomerIdParam } from '../common/route-params.dto';
import { Customer360Dto } from './customer-360.dto';
import { CustomerService } from './customer.service';

@ApiTags('customers')
@Controller('customers')
export class CustomerController {
  constructor(private readonly customers: CustomerService) {}

  @Get(':customerId/360')
  @Roles(...CUSTOMER_READERS)
  @RateLimit('reveal')
  @ApiOperation({
    summary: 'Customer 360 view (客户全景视图)',
    description:
      'Profile, coverage, holdings and balances, recent transactions, tags, consent and analytics-service’s ' +
      'latest profile (value tier, lifecycle stage, RFM, potential tags, churn score). Holdings follow the caller’s ' +
      'visibility: the primary side sees all, a secondary institution only what is held there. ID and phone numbers ' +
      'are masked unless the caller holds pii:read (such reads are audited).',
  })
  @ApiOkResponse({ type: Customer360Dto })
  @ApiProblems(400, 404, 429)
  view360(@CurrentUser() user: AuthenticatedUser, @Param() params: CustomerIdParam): Promise<Customer360Dto> {
    return this.customers.view360(user, params.customerId);
  }
}
