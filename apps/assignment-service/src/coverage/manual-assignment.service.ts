import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { BusinessCalendar } from '@crm/calendar';
import { CoverageChangedPayload, ManagerRole } from '@crm/contracts';
import {
  AuditLogWriter,
  AuthenticatedUser,
  DataScope,
  DataScopeResolver,
  assertInstitutionInScope,
} from '@crm/security';
import { AssignmentException, AssignmentExceptionCode } from '../common/assignment.exception';
import { HoldingsRepository } from '../holdings/holdings.repository';
import { OrganisationRepository } from '../organisation/organisation.repository';
import { CoverageRepository } from './coverage.repository';
import { CoverageService } from './coverage.service';

/**
 * Heads' manual choices: the manager at a covering institution (a pin, see coverage.rule applyPins) and a key
 * customer's private banker. A head acts only for institutions of their subtree; head office for any.
 */
@Injectable()
export class ManualAssignmentService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly scopes: DataScopeResolver,
    private readonly holdings: HoldingsRepository,
    private readonly coverage: CoverageRepository,
    private readonly organisation: OrganisationRepository,
    private readonly coverageService: CoverageService,
    private readonly audit: AuditLogWriter,
    private readonly calendar: BusinessCalendar,
  ) {}

  async assignManager(
    user: AuthenticatedUser,
    customerId: string,
    institutionId: string,
    managerId: string,
    reason: string,
  ): Promise<CoverageChangedPayload> {
    return this.inCustomerTransaction(user, customerId, async (tx, scope, current) => {
      assertInstitutionInScope(scope, institutionId);
      if (!current.secondary.concat(current.primary ?? []).some((c) => c.institutionId === institutionId))
        throw new AssignmentException(
          AssignmentExceptionCode.InstitutionNotCovering,
          `institution ${institutionId} does not cover customer ${customerId}`,
        );
      await this.requireManager(tx, managerId, institutionId, [
        ManagerRole.RelationshipManager,
        ManagerRole.PrivateBanker,
      ]);
      await this.coverage.savePin(tx, customerId, {
        institutionId,
        managerId,
        pinnedBy: user.userId,
        reason,
      });
      const next = await this.coverageService.recompute(tx, customerId, {
        actorKind: 'user',
        actorId: user.userId,
        reason: `manager ${managerId} assigned at ${institutionId} by ${user.userId}: ${reason}`,
        asOf: this.calendar.today(),
      });
      await this.record(tx, user, 'coverage.manager.assign', customerId, {
        institutionId,
        managerId,
        reason,
      });
      return next!;
    });
  }

  async unassignManager(
    user: AuthenticatedUser,
    customerId: string,
    institutionId: string,
    reason: string,
  ): Promise<CoverageChangedPayload> {
    return this.inCustomerTransaction(user, customerId, async (tx, scope) => {
      assertInstitutionInScope(scope, institutionId);
      const pin = (await this.coverage.pinsOf(tx, customerId)).find((p) => p.institutionId === institutionId);
      if (!pin)
        throw new AssignmentException(
          AssignmentExceptionCode.PinNotFound,
          `no manager is assigned by hand at ${institutionId} for customer ${customerId}`,
        );
      await this.coverage.deletePins(tx, customerId, [institutionId]);
      const next = await this.coverageService.recompute(tx, customerId, {
        actorKind: 'user',
        actorId: user.userId,
        reason: `assignment of manager ${pin.managerId} at ${institutionId} ended by ${user.userId}: ${reason}`,
        asOf: this.calendar.today(),
      });
      await this.record(tx, user, 'coverage.manager.unassign', customerId, { institutionId, reason });
      return next!;
    });
  }

  /** Only the primary institution's head (or head office) gives a key customer a private banker. */
  async setPrivateBanker(
    user: AuthenticatedUser,
    customerId: string,
    managerId: string | null,
    reason: string,
  ): Promise<CoverageChangedPayload> {
    return this.inCustomerTransaction(user, customerId, async (tx, scope, current) => {
      if (!current.primary) throw this.notFound(customerId);
      assertInstitutionInScope(scope, current.primary.institutionId);
      if (managerId !== null) {
        if (!current.keyCustomer)
          throw new AssignmentException(
            AssignmentExceptionCode.NotKeyCustomer,
            `customer ${customerId} is not a key customer: only key customers get a private banker`,
          );
        await this.requireManager(tx, managerId, null, [ManagerRole.PrivateBanker]);
      }
      const next = await this.coverageService.recompute(tx, customerId, {
        actorKind: 'user',
        actorId: user.userId,
        reason:
          managerId === null
            ? `private banker removed by ${user.userId}: ${reason}`
            : `private banker ${managerId} given by ${user.userId}: ${reason}`,
        asOf: this.calendar.today(),
        privateBankerId: managerId,
      });
      await this.record(
        tx,
        user,
        managerId ? 'coverage.private-banker.set' : 'coverage.private-banker.remove',
        customerId,
        {
          managerId,
          reason,
        },
      );
      return next!;
    });
  }

  /** Runs under the customer lock; a customer outside the caller's scope is reported as not found. */
  private async inCustomerTransaction<T>(
    user: AuthenticatedUser,
    customerId: string,
    work: (tx: EntityManager, scope: DataScope, current: CoverageChangedPayload) => Promise<T>,
  ): Promise<T> {
    const scope = await this.scopes.resolve(user);
    return this.dataSource.transaction(async (tx) => {
      await this.holdings.lockCustomer(tx, customerId);
      if (!(await this.coverage.findInScope(customerId, scope, tx))) throw this.notFound(customerId);
      return work(tx, scope, (await this.coverage.current(tx, customerId))!);
    });
  }

  /** Active, holding one of `roles`, and (when given) belonging to the institution or one under it. */
  private async requireManager(
    tx: EntityManager,
    managerId: string,
    institutionId: string | null,
    roles: ManagerRole[],
  ): Promise<void> {
    const manager = await this.organisation.findManager(managerId, tx);
    if (!manager)
      throw new AssignmentException(
        AssignmentExceptionCode.ManagerNotFound,
        `manager ${managerId} not found`,
      );
    const eligible =
      manager.active &&
      manager.roles.some((r) => roles.includes(r)) &&
      (institutionId === null ||
        (await this.organisation.isWithin(manager.institutionId, institutionId, tx)));
    if (!eligible)
      throw new AssignmentException(
        AssignmentExceptionCode.ManagerNotEligible,
        `manager ${managerId} must be active, a ${roles.join(' or ')}` +
          (institutionId ? ` and belong to ${institutionId} or an institution under it` : ''),
      );
  }

  private notFound(customerId: string): AssignmentException {
    return new AssignmentException(
      AssignmentExceptionCode.CustomerNotFound,
      `customer ${customerId} has no coverage`,
    );
  }

  private async record(
    tx: EntityManager,
    user: AuthenticatedUser,
    action: string,
    customerId: string,
    details: Record<string, unknown>,
  ): Promise<void> {
    await this.audit.record(
      {
        actor: user,
        action,
        resourceType: 'coverage',
        resourceId: customerId,
        customerId,
        outcome: 'allowed',
        details,
      },
      tx,
    );
  }
}
