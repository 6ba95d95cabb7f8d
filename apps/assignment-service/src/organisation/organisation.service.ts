import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { InstitutionLevel, InstitutionUpsertedPayload, ManagerUpsertedPayload } from '@crm/contracts';
import { KeysetCursor, Page, RequestValidationException, toPage } from '@crm/http';
import { AuditLogWriter, AuthenticatedUser } from '@crm/security';
import { AssignmentException, AssignmentExceptionCode } from '../common/assignment.exception';
import { InstitutionCorrectionDto, ManagerCorrectionDto } from './organisation.dto';
import { InstitutionRow, ManagerRow, OrganisationRepository } from './organisation.repository';

const INSTITUTION_CURSOR = new KeysetCursor('institutions', ['key'] as const);
const MANAGER_CURSOR = new KeysetCursor('managers', ['key'] as const);

/** Marks rows written from the core-banking feed (rather than by an admin's correction). */
const COREBANK_AUTHOR = 'corebank';

@Injectable()
export class OrganisationService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly repository: OrganisationRepository,
    private readonly audit: AuditLogWriter,
  ) {}

  institutionFromCorebank(tx: EntityManager, p: InstitutionUpsertedPayload): Promise<void> {
    return this.repository.upsertInstitution(tx, { ...p, updatedBy: COREBANK_AUTHOR });
  }

  managerFromCorebank(tx: EntityManager, p: ManagerUpsertedPayload): Promise<void> {
    return this.repository.upsertManager(tx, { ...p, updatedBy: COREBANK_AUTHOR });
  }

  async institution(id: string): Promise<InstitutionRow> {
    const row = await this.repository.findInstitution(id);
    if (!row)
      throw new AssignmentException(
        AssignmentExceptionCode.InstitutionNotFound,
        `institution ${id} not found`,
      );
    return row;
  }

  async manager(id: string): Promise<ManagerRow> {
    const row = await this.repository.findManager(id);
    if (!row)
      throw new AssignmentException(AssignmentExceptionCode.ManagerNotFound, `manager ${id} not found`);
    return row;
  }

  async institutions(
    limit: number,
    cursor: string | undefined,
    under: string | undefined,
  ): Promise<Page<InstitutionRow>> {
    if (under) await this.institution(under);
    const after = cursor ? INSTITUTION_CURSOR.decode(cursor)[0] : null;
    return toPage(
      await this.repository.listInstitutions(limit, after, under ?? null),
      limit,
      INSTITUTION_CURSOR,
      (r) => [r.institutionId],
    );
  }

  async managers(
    limit: number,
    cursor: string | undefined,
    institutionId: string | undefined,
  ): Promise<Page<ManagerRow>> {
    const after = cursor ? MANAGER_CURSOR.decode(cursor)[0] : null;
    return toPage(
      await this.repository.listManagers(limit, after, institutionId ?? null),
      limit,
      MANAGER_CURSOR,
      (r) => [r.managerId],
    );
  }

  /** Head office corrects an institution (audited); the tree must stay a tree under one head office. */
  async correctInstitution(
    user: AuthenticatedUser,
    id: string,
    dto: InstitutionCorrectionDto,
  ): Promise<InstitutionRow> {
    return this.dataSource.transaction(async (tx) => {
      const before = await this.repository.findInstitution(id, tx);
      if (!before)
        throw new AssignmentException(
          AssignmentExceptionCode.InstitutionNotFound,
          `institution ${id} not found`,
        );
      const isHeadOffice = dto.level === InstitutionLevel.HeadOffice;
      if (isHeadOffice !== (dto.parentId === null))
        throw new RequestValidationException([
          {
            field: 'parentId',
            message: 'parentId must be null for the head office and an institution id otherwise',
          },
        ]);
      if (dto.parentId !== null) {
        if (!(await this.repository.findInstitution(dto.parentId, tx)))
          throw new AssignmentException(
            AssignmentExceptionCode.InstitutionNotFound,
            `institution ${dto.parentId} not found`,
          );
        if ((await this.repository.subtreeOf(id, tx)).includes(dto.parentId))
          throw new AssignmentException(
            AssignmentExceptionCode.ParentInvalid,
            `institution ${dto.parentId} lies under ${id}: the tree would have a cycle`,
          );
      }
      await this.repository.upsertInstitution(tx, {
        institutionId: id,
        name: dto.name,
        level: dto.level,
        parentId: dto.parentId,
        regionCode: dto.regionCode,
        active: dto.active,
        updatedBy: user.userId,
      });
      await this.audit.record(
        {
          actor: user,
          action: 'institution.correct',
          resourceType: 'institution',
          resourceId: id,
          outcome: 'allowed',
          details: { reason: dto.reason, changed: changedFields(before, dto) },
        },
        tx,
      );
      return (await this.repository.findInstitution(id, tx))!;
    });
  }

  async correctManager(user: AuthenticatedUser, id: string, dto: ManagerCorrectionDto): Promise<ManagerRow> {
    return this.dataSource.transaction(async (tx) => {
      const before = await this.repository.findManager(id, tx);
      if (!before)
        throw new AssignmentException(AssignmentExceptionCode.ManagerNotFound, `manager ${id} not found`);
      if (!(await this.repository.findInstitution(dto.institutionId, tx)))
        throw new AssignmentException(
          AssignmentExceptionCode.InstitutionNotFound,
          `institution ${dto.institutionId} not found`,
        );
      await this.repository.upsertManager(tx, {
        managerId: id,
        name: dto.name,
        institutionId: dto.institutionId,
        roles: dto.roles,
        active: dto.active,
        updatedBy: user.userId,
      });
      await this.audit.record(
        {
          actor: user,
          action: 'manager.correct',
          resourceType: 'manager',
          resourceId: id,
          outcome: 'allowed',
          details: { reason: dto.reason, changed: changedFields(before, dto) },
        },
        tx,
      );
      return (await this.repository.findManager(id, tx))!;
    });
  }
}

/** Names of the fields a correction changes (names only: the audit log holds no values of people). */
function changedFields(before: object, after: object): string[] {
  return Object.entries(after)
    .filter(([key]) => key !== 'reason' && key in before)
    .filter(
      ([key, value]) => JSON.stringify((before as Record<string, unknown>)[key]) !== JSON.stringify(value),
    )
    .map(([key]) => key);
}
