import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { BusinessCalendar } from '@crm/calendar';
import { KeysetCursor, Page, RequestValidationException, toPage } from '@crm/http';
import { AuditLogWriter, AuthenticatedUser, DataScopeResolver, managerScopeOf } from '@crm/security';
import { AssignmentException, AssignmentExceptionCode } from '../common/assignment.exception';
import { CoverageRepository } from '../coverage/coverage.repository';
import { ParametersRepository } from '../parameters/parameters.repository';
import { RecordVisitDto, VisitDutyPageDto } from './visit.dto';
import { VisitRepository, VisitRow } from './visit.repository';

const VISIT_CURSOR = new KeysetCursor('visits', ['timestamp', 'uuid'] as const);
const VISIT_DUTY_CURSOR = new KeysetCursor('visit-duty', ['key', 'key', 'key'] as const);

const invalid = (field: string, message: string) => new RequestValidationException([{ field, message }]);

/** Managers record visits to customers they cover (with GPS), heads judge the duty to visit large borrowers. */
@Injectable()
export class VisitService {
  constructor(
    private readonly scopes: DataScopeResolver,
    private readonly visits: VisitRepository,
    private readonly coverage: CoverageRepository,
    private readonly parameters: ParametersRepository,
    private readonly audit: AuditLogWriter,
    private readonly calendar: BusinessCalendar,
  ) {}

  async record(user: AuthenticatedUser, dto: RecordVisitDto): Promise<VisitRow> {
    if (Date.parse(dto.visitedAt) > Date.now())
      throw invalid('visitedAt', 'visitedAt must not be in the future');
    const asManager = managerScopeOf(user);
    if (asManager?.kind !== 'manager')
      throw new AssignmentException(
        AssignmentExceptionCode.VisitNotAllowed,
        'only a relationship manager records visits',
      );
    // A manager covering the customer at any institution (or as private banker) may record the visit.
    const managerId = asManager.managerId;
    const covered = await this.coverage.findInScope(dto.customerId, asManager);
    if (!covered)
      throw new AssignmentException(
        AssignmentExceptionCode.CustomerNotFound,
        `customer ${dto.customerId} not found`,
      );
    const visit = await this.visits.insert({
      visitId: randomUUID(),
      customerId: dto.customerId,
      managerId,
      institutionId: user.institutionId,
      visitedAt: dto.visitedAt,
      content: dto.content,
      latitude: dto.latitude,
      longitude: dto.longitude,
    });
    await this.audit.record({
      actor: user,
      action: 'visit.record',
      resourceType: 'visit',
      resourceId: visit.visitId,
      customerId: dto.customerId,
      outcome: 'allowed',
    });
    return visit;
  }

  async list(
    user: AuthenticatedUser,
    filter: { managerId?: string; customerId?: string },
    limit: number,
    cursor: string | undefined,
  ): Promise<Page<VisitRow>> {
    const after = cursor ? VISIT_CURSOR.decode(cursor) : null;
    const rows = await this.visits.list(await this.scopes.resolve(user), filter, limit, after);
    return toPage(rows, limit, VISIT_CURSOR, (r) => [r.visitedAt, r.visitId]);
  }

  async duty(
    user: AuthenticatedUser,
    month: string,
    limit: number,
    cursor: string | undefined,
  ): Promise<VisitDutyPageDto> {
    const year = Number(month.slice(0, 4));
    if (year < 1900) throw invalid('month', 'month must be 1900-01 or later');
    const after = cursor ? VISIT_DUTY_CURSOR.decode(cursor) : null;
    const params = await this.parameters.current();
    const rows = await this.visits.shortfalls(
      await this.scopes.resolve(user),
      this.calendar.monthSpan(month),
      params.visitDutyLoanThreshold,
      params.visitDutyMinVisitsPerMonth,
      limit,
      after,
    );
    const page = toPage(rows, limit, VISIT_DUTY_CURSOR, (r) => [r.customerId, r.managerId, r.institutionId]);
    return {
      month,
      loanThreshold: params.visitDutyLoanThreshold,
      requiredVisits: params.visitDutyMinVisitsPerMonth,
      items: page.items.map((r) => ({ ...r, required: params.visitDutyMinVisitsPerMonth })),
      nextCursor: page.nextCursor,
    };
  }
}
