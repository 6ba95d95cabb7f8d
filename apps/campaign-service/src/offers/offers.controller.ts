import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '@crm/http';
import { AuthenticatedUser, CurrentUser, Roles } from '@crm/security';
import { OFFER_DECIDERS } from '../common/campaign-roles';
import { DecisionIdParam } from '../common/route-params.dto';
import { DecideRequestDto, DecisionDto, OfferResponseDto } from './offer.dto';
import { OffersService } from './offers.service';

@ApiTags('next best offer (被动营销)')
@Controller('offers')
@Roles(...OFFER_DECIDERS)
export class OffersController {
  constructor(private readonly offers: OffersService) {}

  @Post('decide')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'The best offer for a customer who shows up at the lobby, the counter or in the app, under the contact policy, or none with the reason (recorded)',
  })
  @ApiOkResponse({ type: DecisionDto })
  @ApiProblems(404)
  decide(@CurrentUser() user: AuthenticatedUser, @Body() body: DecideRequestDto): Promise<DecisionDto> {
    return this.offers.decide(user, body);
  }

  @Post(':decisionId/response')
  @HttpCode(204)
  @ApiOperation({ summary: 'Record the customer’s response to an offer (declined cools the products off)' })
  @ApiNoContentResponse()
  @ApiProblems(404, 409)
  respond(
    @CurrentUser() user: AuthenticatedUser,
    @Param() params: DecisionIdParam,
    @Body() body: OfferResponseDto,
  ): Promise<void> {
    return this.offers.respond(user, params.decisionId, body);
  }
}
