import { Body, Controller, Delete, HttpCode, Param, Put } from '@nestjs/common';
import { ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '@crm/http';
import { AuthenticatedUser, CurrentUser, Role, Roles } from '@crm/security';
import { CAMPAIGN_STAFF } from '../common/campaign-roles';
import { CustomerIdParam } from '../common/route-params.dto';
import { CustomerFactsService } from './customer-facts.service';
import { DoNotContactDto } from './do-not-contact.dto';

@ApiTags('contact policy (接触策略)')
@Controller('customers/:customerId/do-not-contact')
@Roles(...CAMPAIGN_STAFF, Role.RelationshipManager)
export class DoNotContactController {
  constructor(private readonly facts: CustomerFactsService) {}

  @Put()
  @HttpCode(204)
  @ApiOperation({
    summary: 'Put a customer on the do-not-contact list (complaint, deceased, legal hold; audited)',
  })
  @ApiNoContentResponse()
  @ApiProblems(404)
  set(
    @CurrentUser() user: AuthenticatedUser,
    @Param() params: CustomerIdParam,
    @Body() body: DoNotContactDto,
  ): Promise<void> {
    return this.facts.setDoNotContact(user, params.customerId, body);
  }

  @Delete()
  @HttpCode(204)
  @ApiOperation({ summary: 'Take a customer off the do-not-contact list (audited)' })
  @ApiNoContentResponse()
  @ApiProblems(404)
  clear(@CurrentUser() user: AuthenticatedUser, @Param() params: CustomerIdParam): Promise<void> {
    return this.facts.clearDoNotContact(user, params.customerId);
  }
}
