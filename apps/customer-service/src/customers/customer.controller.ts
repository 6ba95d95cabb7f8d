import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { AuthenticatedUser, CurrentUser, Roles } from '@crm/security';
import {
  CONSENT_CHANNELS,
  ConsentChannel,
  ConsentHistoryEntryDto,
  SetConsentDto,
} from '../consent/consent.dto';
import { ApiProblems, RateLimit } from '@crm/http';
import { CUSTOMER_EDITORS, CUSTOMER_READERS } from '../shared/customer-roles';
import { CustomerIdParam, ConsentParams, TagParams } from '../shared/route-params.dto';
import { AddTagDto } from '../tags/tag.dto';
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
      'Profile, coverage, holdings and balances, recent transactions, tags and consent. Holdings follow the caller’s ' +
      'visibility: the primary side sees all, a secondary institution only what is held there. ID and phone numbers ' +
      'are masked unless the caller holds pii:read (such reads are audited).',
  })
  @ApiOkResponse({ type: Customer360Dto })
  @ApiProblems(400, 404, 429)
  view360(@CurrentUser() user: AuthenticatedUser, @Param() params: CustomerIdParam): Promise<Customer360Dto> {
    return this.customers.view360(user, params.customerId);
  }

  @Put(':customerId/consent/:channel')
  @HttpCode(204)
  @Roles(...CUSTOMER_EDITORS, ...CUSTOMER_READERS)
  @ApiOperation({ summary: 'Record a marketing consent or opt-out for one channel (history kept)' })
  @ApiParam({ name: 'channel', enum: CONSENT_CHANNELS })
  @ApiNoContentResponse({ description: 'Recorded' })
  @ApiProblems(400, 404)
  setConsent(
    @CurrentUser() user: AuthenticatedUser,
    @Param() params: ConsentParams,
    @Body() body: SetConsentDto,
  ): Promise<void> {
    return this.customers.setConsent(user, params.customerId, params.channel as ConsentChannel, body);
  }

  @Get(':customerId/consent/history')
  @Roles(...CUSTOMER_READERS)
  @ApiOperation({ summary: 'Every consent change of a customer: who, when, from where' })
  @ApiOkResponse({ type: [ConsentHistoryEntryDto] })
  @ApiProblems(400, 404)
  consentHistory(
    @CurrentUser() user: AuthenticatedUser,
    @Param() params: CustomerIdParam,
  ): Promise<ConsentHistoryEntryDto[]> {
    return this.customers.consentHistory(user, params.customerId);
  }

  @Post(':customerId/tags')
  @HttpCode(204)
  @Roles(...CUSTOMER_EDITORS)
  @ApiOperation({ summary: 'Add a manual tag to a customer (idempotent)' })
  @ApiNoContentResponse({ description: 'Tagged' })
  @ApiProblems(400, 404)
  addTag(
    @CurrentUser() user: AuthenticatedUser,
    @Param() params: CustomerIdParam,
    @Body() body: AddTagDto,
  ): Promise<void> {
    return this.customers.addTag(user, params.customerId, body.tag);
  }

  @Delete(':customerId/tags/:tag')
  @HttpCode(204)
  @Roles(...CUSTOMER_EDITORS)
  @ApiOperation({ summary: 'Remove a manual tag from a customer' })
  @ApiNoContentResponse({ description: 'Removed' })
  @ApiProblems(400, 404)
  removeTag(@CurrentUser() user: AuthenticatedUser, @Param() params: TagParams): Promise<void> {
    return this.customers.removeTag(user, params.customerId, params.tag);
  }
}
