import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '@crm/http';
import { AuthenticatedUser, CurrentUser, Roles } from '@crm/security';
import { CAMPAIGN_STAFF } from '../common/campaign-roles';
import { LedgerQueryDto, LedgerSummaryDto } from './contact-ledger.dto';
import { ContactLedgerService } from './contact-ledger.service';

@ApiTags('contact ledger (接触记录)')
@Controller('contact-ledger')
@Roles(...CAMPAIGN_STAFF)
export class ContactLedgerController {
  constructor(private readonly ledger: ContactLedgerService) {}

  @Get('summary')
  @ApiOperation({
    summary:
      'Contacts across all campaigns and channels: per outcome, channel, campaign, institution; per customer and per phone number (max, mean, distribution); suppressions by reason',
  })
  @ApiOkResponse({ type: LedgerSummaryDto })
  @ApiProblems()
  summary(@CurrentUser() user: AuthenticatedUser, @Query() query: LedgerQueryDto): Promise<LedgerSummaryDto> {
    return this.ledger.summary(user, query);
  }
}
