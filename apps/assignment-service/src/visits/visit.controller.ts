import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthenticatedUser, CurrentUser, Role, Roles } from '@crm/security';
import { ApiProblems } from '@crm/http';
import {
  RecordVisitDto,
  VisitDto,
  VisitDutyPageDto,
  VisitDutyQueryDto,
  VisitListQueryDto,
  VisitPageDto,
} from './visit.dto';
import { VisitService } from './visit.service';

const DEFAULT_LIMIT = 50;

@ApiTags('visits 走访')
@Controller()
export class VisitController {
  constructor(private readonly visits: VisitService) {}

  @Post('visits')
  @Roles(Role.RelationshipManager)
  @ApiOperation({
    summary: 'Record a visit to a customer the calling manager covers, with its content and GPS position',
  })
  @ApiCreatedResponse({ type: VisitDto })
  @ApiProblems(404)
  record(@CurrentUser() user: AuthenticatedUser, @Body() dto: RecordVisitDto): Promise<VisitDto> {
    return this.visits.record(user, dto);
  }

  @Get('visits')
  @Roles(Role.HeadOfficeAdmin, Role.InstitutionHead, Role.RelationshipManager, Role.System)
  @ApiOperation({
    summary:
      'Visits, newest first: a manager their own, a head those of managers in their subtree, head office all',
  })
  @ApiOkResponse({ type: VisitPageDto })
  @ApiProblems()
  list(@CurrentUser() user: AuthenticatedUser, @Query() q: VisitListQueryDto): Promise<VisitPageDto> {
    return this.visits.list(
      user,
      { managerId: q.managerId, customerId: q.customerId },
      q.limit ?? DEFAULT_LIMIT,
      q.cursor,
    );
  }

  @Get('visit-duty')
  @Roles(Role.HeadOfficeAdmin, Role.InstitutionHead, Role.RelationshipManager, Role.System)
  @ApiOperation({
    summary:
      'Visit duty for a month: covering managers of large borrowers who made fewer visits than required',
    description:
      'Customers whose outstanding loans are above the visit-duty threshold now; each covering manager owes the ' +
      'minimum number of visits in the month (bank parameters). Heads see duties at institutions of their subtree.',
  })
  @ApiOkResponse({ type: VisitDutyPageDto })
  @ApiProblems()
  duty(@CurrentUser() user: AuthenticatedUser, @Query() q: VisitDutyQueryDto): Promise<VisitDutyPageDto> {
    return this.visits.duty(user, q.month, q.limit ?? DEFAULT_LIMIT, q.cursor);
  }
}
