import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '@crm/http';
import { AuthenticatedUser, CurrentUser, Roles } from '@crm/security';
import { FIGURE_READERS } from '../common/analytics-roles';
import { CustomerIdParam } from '../common/route-params.dto';
import { AsOfQueryDto } from '../indicators/indicator.dto';
import {
  ChurnListQueryDto,
  ChurnWarningPageDto,
  CustomerChurnDto,
  InstitutionIdParam,
  ManagerIdParam,
} from './churn.dto';
import { ChurnService } from './churn.service';

const LIST =
  'Customers whose churn score reached the warning line at the close of business (default the latest), highest ' +
  'score first, keyset-paginated; each with its reasons and their points. Whole-bank figures: only customers whose ' +
  'primary side is in your data scope.';

@ApiTags('churn warning (客户流失预警)')
@Controller()
@Roles(...FIGURE_READERS)
export class ChurnController {
  constructor(private readonly churn: ChurnService) {}

  @Get('customers/:customerId/churn')
  @ApiOperation({
    summary:
      'A customer’s churn score at a close of business, whether warned, and each reason with its points and fact',
  })
  @ApiOkResponse({ type: CustomerChurnDto })
  @ApiProblems(404)
  ofCustomer(
    @CurrentUser() user: AuthenticatedUser,
    @Param() params: CustomerIdParam,
    @Query() query: AsOfQueryDto,
  ): Promise<CustomerChurnDto> {
    return this.churn.ofCustomer(user, params.customerId, query.businessDate);
  }

  @Get('churn-warnings')
  @ApiOperation({ summary: 'Warned customers in your data scope', description: LIST })
  @ApiOkResponse({ type: ChurnWarningPageDto })
  @ApiProblems(404)
  inScope(
    @CurrentUser() user: AuthenticatedUser,
    @Query() query: ChurnListQueryDto,
  ): Promise<ChurnWarningPageDto> {
    return this.churn.warned(user, {}, query);
  }

  @Get('churn-warnings/institutions/:institutionId')
  @ApiOperation({
    summary: 'Warned customers of an institution: its subtree’s customers as primary institution',
    description: LIST,
  })
  @ApiOkResponse({ type: ChurnWarningPageDto })
  @ApiProblems(404)
  ofInstitution(
    @CurrentUser() user: AuthenticatedUser,
    @Param() params: InstitutionIdParam,
    @Query() query: ChurnListQueryDto,
  ): Promise<ChurnWarningPageDto> {
    return this.churn.warned(user, { institutionId: params.institutionId }, query);
  }

  @Get('churn-warnings/managers/:managerId')
  @ApiOperation({
    summary: 'Warned customers of a manager: those they cover as primary manager',
    description: LIST,
  })
  @ApiOkResponse({ type: ChurnWarningPageDto })
  @ApiProblems(404)
  ofManager(
    @CurrentUser() user: AuthenticatedUser,
    @Param() params: ManagerIdParam,
    @Query() query: ChurnListQueryDto,
  ): Promise<ChurnWarningPageDto> {
    return this.churn.warned(user, { managerId: params.managerId }, query);
  }
}
