import { Injectable } from '@nestjs/common';
import { CoverageChangedPayload } from '@crm/contracts';
import { KeysetCursor, Page, toPage } from '@crm/http';
import { AuthenticatedUser, DataScopeResolver } from '@crm/security';
import { AssignmentException, AssignmentExceptionCode } from '../common/assignment.exception';
import { OrganisationRepository } from '../organisation/organisation.repository';
import { CoverageHistoryRow, CoverageRepository } from './coverage.repository';

const COVERAGE_HISTORY_CURSOR = new KeysetCursor('coverage-history', ['int'] as const);
const COVERED_CUSTOMER_CURSOR = new KeysetCursor('covered-customers', ['key'] as const);

/** Coverage reads, each in the caller's data scope: a customer outside it is not found. */
@Injectable()
export class CoverageQueryService {
  constructor(
    private readonly scopes: DataScopeResolver,
    private readonly coverage: CoverageRepository,
    private readonly organisation: OrganisationRepository,
  ) {}

  async coverageOf(user: AuthenticatedUser, customerId: string): Promise<CoverageChangedPayload> {
    const found = await this.coverage.findInScope(customerId, await this.scopes.resolve(user));
    if (!found) throw this.customerNotFound(customerId);
    return found;
  }

  async historyOf(
    user: AuthenticatedUser,
    customerId: string,
    limit: number,
    cursor: string | undefined,
  ): Promise<Page<CoverageHistoryRow>> {
    const before = cursor ? COVERAGE_HISTORY_CURSOR.decode(cursor)[0] : null;
    const rows = await this.coverage.historyInScope(
      customerId,
      await this.scopes.resolve(user),
      limit,
      before,
    );
    if (rows.length === 0 && before === null) throw this.customerNotFound(customerId);
    return toPage(rows, limit, COVERAGE_HISTORY_CURSOR, (r) => [r.version]);
  }

  async customersOfManager(
    user: AuthenticatedUser,
    managerId: string,
    limit: number,
    cursor: string | undefined,
  ): Promise<Page<CoverageChangedPayload>> {
    if (!(await this.organisation.findManager(managerId)))
      throw new AssignmentException(
        AssignmentExceptionCode.ManagerNotFound,
        `manager ${managerId} not found`,
      );
    const after = cursor ? COVERED_CUSTOMER_CURSOR.decode(cursor)[0] : null;
    const rows = await this.coverage.coveredCustomers(
      { managerId },
      await this.scopes.resolve(user),
      limit,
      after,
    );
    return toPage(rows, limit, COVERED_CUSTOMER_CURSOR, (r) => [r.customerId]);
  }

  async customersOfInstitution(
    user: AuthenticatedUser,
    institutionId: string,
    subtree: boolean,
    limit: number,
    cursor: string | undefined,
  ): Promise<Page<CoverageChangedPayload>> {
    if (!(await this.organisation.findInstitution(institutionId)))
      throw new AssignmentException(
        AssignmentExceptionCode.InstitutionNotFound,
        `institution ${institutionId} not found`,
      );
    const institutionIds = subtree ? await this.scopes.subtreeOf(institutionId) : [institutionId];
    const after = cursor ? COVERED_CUSTOMER_CURSOR.decode(cursor)[0] : null;
    const rows = await this.coverage.coveredCustomers(
      { institutionIds },
      await this.scopes.resolve(user),
      limit,
      after,
    );
    return toPage(rows, limit, COVERED_CUSTOMER_CURSOR, (r) => [r.customerId]);
  }

  private customerNotFound(customerId: string): AssignmentException {
    return new AssignmentException(
      AssignmentExceptionCode.CustomerNotFound,
      `customer ${customerId} not found`,
    );
  }
}
