import { Body, Controller, Get, HttpCode, Param, Put } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { CONSENT_CHANNELS } from '@crm/contracts';
import { ApiProblems } from '@crm/http';
import { AuthenticatedUser, CurrentUser, Roles } from '@crm/security';
import { CUSTOMER_EDITORS, CUSTOMER_READERS } from '../common/customer-roles';
import { ConsentParams, CustomerIdParam } from '../common/route-params.dto';
import { ConsentHistoryEntryDto, SetConsentDto } from './consent.dto';
import { ConsentService } from './consent.service';

@ApiTags('customers')
@Controller('customers')
export class ConsentController {
  constructor(private readonly consent: ConsentService) {}

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
    return this.consent.setConsent(user, params.customerId, params.channel, body);
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
    return this.consent.consentHistory(user, params.customerId);
  }
}
