import { Body, Controller, Delete, Get, Param, Put, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthenticatedUser, CurrentUser, Role, Roles } from '@crm/security';
import { ApiProblems } from '@crm/http';
import { IdParamDto } from '../common/id-param.dto';
import { PageQueryDto } from '../organisation/organisation.dto';
import { CoverageQueryService } from './coverage-query.service';
import {
  AssignManagerDto,
  AssignPrivateBankerDto,
  CoverageDto,
  CoverageHistoryPageDto,
  CoveragePageDto,
  CustomerIdParamDto,
  CustomerInstitutionParamDto,
  InstitutionCustomersQueryDto,
  ReasonQueryDto,
} from './coverage.dto';
import { ManualAssignmentService } from './manual-assignment.service';

const DEFAULT_LIMIT = 50;
const READERS = [Role.HeadOfficeAdmin, Role.InstitutionHead, Role.RelationshipManager, Role.System] as const;
const HEADS = [Role.HeadOfficeAdmin, Role.InstitutionHead] as const;

@ApiTags('coverage 主协办')
@Controller()
export class CoverageController {
  constructor(
    private readonly queries: CoverageQueryService,
    private readonly manual: ManualAssignmentService,
  ) {}

  @Get('customers/:customerId/coverage')
  @Roles(...READERS)
  @ApiOperation({
    summary: "A customer's coverage: primary and secondary institutions and managers, key customer",
  })
  @ApiOkResponse({ type: CoverageDto })
  @ApiProblems(404)
  coverage(
    @CurrentUser() user: AuthenticatedUser,
    @Param() { customerId }: CustomerIdParamDto,
  ): Promise<CoverageDto> {
    return this.queries.coverageOf(user, customerId);
  }

  @Get('customers/:customerId/coverage/history')
  @Roles(...READERS)
  @ApiOperation({ summary: "A customer's coverage history, newest first: who changed it, when and why" })
  @ApiOkResponse({ type: CoverageHistoryPageDto })
  @ApiProblems(404)
  history(
    @CurrentUser() user: AuthenticatedUser,
    @Param() { customerId }: CustomerIdParamDto,
    @Query() q: PageQueryDto,
  ): Promise<CoverageHistoryPageDto> {
    return this.queries.historyOf(user, customerId, q.limit ?? DEFAULT_LIMIT, q.cursor);
  }

  @Get('managers/:id/customers')
  @Roles(...READERS)
  @ApiOperation({
    summary:
      "The customers a manager covers (primary, secondary or private banker), within the caller's scope",
  })
  @ApiOkResponse({ type: CoveragePageDto })
  @ApiProblems(404)
  managerCustomers(
    @CurrentUser() user: AuthenticatedUser,
    @Param() { id }: IdParamDto,
    @Query() q: PageQueryDto,
  ): Promise<CoveragePageDto> {
    return this.queries.customersOfManager(user, id, q.limit ?? DEFAULT_LIMIT, q.cursor);
  }

  @Get('institutions/:id/customers')
  @Roles(...READERS)
  @ApiOperation({
    summary: "The customers an institution (or its subtree) covers, within the caller's scope",
  })
  @ApiOkResponse({ type: CoveragePageDto })
  @ApiProblems(404)
  institutionCustomers(
    @CurrentUser() user: AuthenticatedUser,
    @Param() { id }: IdParamDto,
    @Query() q: InstitutionCustomersQueryDto,
  ): Promise<CoveragePageDto> {
    return this.queries.customersOfInstitution(
      user,
      id,
      q.subtree ?? false,
      q.limit ?? DEFAULT_LIMIT,
      q.cursor,
    );
  }

  @Put('customers/:customerId/coverage/institutions/:institutionId/manager')
  @Roles(...HEADS)
  @ApiOperation({
    summary: 'Assign the manager at a covering institution (institution head of its subtree, or head office)',
    description:
      'The choice is pinned: it survives recomputation while the institution covers the customer, whether primary ' +
      'or secondary, and ends when a head removes it or the institution stops covering the customer.',
  })
  @ApiOkResponse({ type: CoverageDto })
  @ApiProblems(404, 422)
  assignManager(
    @CurrentUser() user: AuthenticatedUser,
    @Param() { customerId, institutionId }: CustomerInstitutionParamDto,
    @Body() dto: AssignManagerDto,
  ): Promise<CoverageDto> {
    return this.manual.assignManager(user, customerId, institutionId, dto.managerId, dto.reason);
  }

  @Delete('customers/:customerId/coverage/institutions/:institutionId/manager')
  @Roles(...HEADS)
  @ApiOperation({ summary: 'End a manual manager assignment: the rules choose the manager again' })
  @ApiOkResponse({ type: CoverageDto })
  @ApiProblems(404)
  unassignManager(
    @CurrentUser() user: AuthenticatedUser,
    @Param() { customerId, institutionId }: CustomerInstitutionParamDto,
    @Query() q: ReasonQueryDto,
  ): Promise<CoverageDto> {
    return this.manual.unassignManager(user, customerId, institutionId, q.reason);
  }

  @Put('customers/:customerId/private-banker')
  @Roles(...HEADS)
  @ApiOperation({
    summary: "Give a key customer a private banker (the primary institution's head, or head office)",
  })
  @ApiOkResponse({ type: CoverageDto })
  @ApiProblems(404, 422)
  setPrivateBanker(
    @CurrentUser() user: AuthenticatedUser,
    @Param() { customerId }: CustomerIdParamDto,
    @Body() dto: AssignPrivateBankerDto,
  ): Promise<CoverageDto> {
    return this.manual.setPrivateBanker(user, customerId, dto.managerId, dto.reason);
  }

  @Delete('customers/:customerId/private-banker')
  @Roles(...HEADS)
  @ApiOperation({ summary: "Remove a customer's private banker" })
  @ApiOkResponse({ type: CoverageDto })
  @ApiProblems(404)
  removePrivateBanker(
    @CurrentUser() user: AuthenticatedUser,
    @Param() { customerId }: CustomerIdParamDto,
    @Query() q: ReasonQueryDto,
  ): Promise<CoverageDto> {
    return this.manual.setPrivateBanker(user, customerId, null, q.reason);
  }
}
