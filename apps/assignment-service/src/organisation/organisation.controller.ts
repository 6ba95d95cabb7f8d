import { Body, Controller, Get, Param, Put, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthenticatedUser, CurrentUser, Role, Roles } from '@crm/security';
import { ApiProblems } from '@crm/http';
import { IdParamDto } from '../common/id-param.dto';
import {
  InstitutionCorrectionDto,
  InstitutionDto,
  InstitutionListQueryDto,
  InstitutionPageDto,
  ManagerCorrectionDto,
  ManagerDto,
  ManagerListQueryDto,
  ManagerPageDto,
} from './organisation.dto';
import { OrganisationService } from './organisation.service';

const DEFAULT_LIMIT = 50;
const STAFF = [Role.HeadOfficeAdmin, Role.InstitutionHead, Role.RelationshipManager, Role.System] as const;

@ApiTags('organisation 机构与客户经理')
@Controller()
export class OrganisationController {
  constructor(private readonly organisation: OrganisationService) {}

  @Get('institutions')
  @Roles(...STAFF)
  @ApiOperation({ summary: 'List institutions (the tree: head office, branches, outlets), by id' })
  @ApiOkResponse({ type: InstitutionPageDto })
  @ApiProblems(404)
  institutions(@Query() q: InstitutionListQueryDto): Promise<InstitutionPageDto> {
    return this.organisation.institutions(q.limit ?? DEFAULT_LIMIT, q.cursor, q.under);
  }

  @Get('institutions/:id')
  @Roles(...STAFF)
  @ApiOperation({ summary: 'One institution' })
  @ApiOkResponse({ type: InstitutionDto })
  @ApiProblems(404)
  institution(@Param() { id }: IdParamDto): Promise<InstitutionDto> {
    return this.organisation.institution(id);
  }

  @Put('institutions/:id')
  @Roles(Role.HeadOfficeAdmin)
  @ApiOperation({
    summary: 'Correct an institution (head-office admin, audited)',
    description: 'The next core-banking update of the institution replaces the correction.',
  })
  @ApiOkResponse({ type: InstitutionDto })
  @ApiProblems(404, 422)
  correctInstitution(
    @CurrentUser() user: AuthenticatedUser,
    @Param() { id }: IdParamDto,
    @Body() dto: InstitutionCorrectionDto,
  ): Promise<InstitutionDto> {
    return this.organisation.correctInstitution(user, id, dto);
  }

  @Get('managers')
  @Roles(...STAFF)
  @ApiOperation({ summary: 'List relationship managers and other staff, by id' })
  @ApiOkResponse({ type: ManagerPageDto })
  @ApiProblems()
  managers(@Query() q: ManagerListQueryDto): Promise<ManagerPageDto> {
    return this.organisation.managers(q.limit ?? DEFAULT_LIMIT, q.cursor, q.institutionId);
  }

  @Get('managers/:id')
  @Roles(...STAFF)
  @ApiOperation({ summary: 'One manager' })
  @ApiOkResponse({ type: ManagerDto })
  @ApiProblems(404)
  manager(@Param() { id }: IdParamDto): Promise<ManagerDto> {
    return this.organisation.manager(id);
  }

  @Put('managers/:id')
  @Roles(Role.HeadOfficeAdmin)
  @ApiOperation({ summary: 'Correct a manager (head-office admin, audited)' })
  @ApiOkResponse({ type: ManagerDto })
  @ApiProblems(404)
  correctManager(
    @CurrentUser() user: AuthenticatedUser,
    @Param() { id }: IdParamDto,
    @Body() dto: ManagerCorrectionDto,
  ): Promise<ManagerDto> {
    return this.organisation.correctManager(user, id, dto);
  }
}
