import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { DEFAULT_ALERT_PARAMETERS, type AlertParameters, type EventEnvelope } from '@crm/contracts';
import { BatchKey, type EventBatch } from '@crm/messaging';
import {
  AuditLogWriter,
  AuthenticatedUser,
  DataScopeResolver,
  assertInstitutionInScope,
  CoverageProjectionRepository,
} from '@crm/security';
import { AlertException, AlertExceptionCode } from '../common/alert.exception';
import { AlertParametersRepository, type ParameterHistory } from './alert-parameters.repository';
import type { AlertParametersDto, EffectiveParametersDto } from './alert-parameters.dto';

const PARAMETER_HISTORY = new BatchKey<Promise<ParameterHistory>>('alert-parameters.history');

/** The customer and institution of a core-banking event, when it names both. */
const subjectOf = (event: EventEnvelope<object>): { customerId: string; institutionId: string }[] => {
  const { customerId, institutionId } = event.data as { customerId?: unknown; institutionId?: unknown };
  return typeof customerId === 'string' && typeof institutionId === 'string'
    ? [{ customerId, institutionId }]
    : [];
};

/** Bank defaults (contracts) overridden per institution, nearest ancestor first, versioned by time. */
@Injectable()
export class AlertParametersService {
  constructor(
    private readonly repository: AlertParametersRepository,
    private readonly coverage: CoverageProjectionRepository,
    private readonly audit: AuditLogWriter,
    private readonly dataSource: DataSource,
    private readonly scopes: DataScopeResolver,
  ) {}

  /**
   * The parameters that judge a customer's event at `at`: those of their primary institution, or of the
   * institution where the event happened when they have none. Read once for all the events of the batch,
   * as their transaction first needs them.
   */
  async applicable(
    tx: EntityManager,
    batch: EventBatch,
    customerId: string,
    eventInstitutionId: string,
    at: number,
  ): Promise<AlertParameters> {
    let history = await batch.once(PARAMETER_HISTORY, () =>
      this.repository.history(tx, batch.events.flatMap(subjectOf)),
    );
    if (!history.has(customerId, eventInstitutionId)) {
      history = await this.repository.history(tx, [{ customerId, institutionId: eventInstitutionId }]);
    }
    return history.inForce(customerId, eventInstitutionId, at).parameters ?? DEFAULT_ALERT_PARAMETERS;
  }

  defaults(): AlertParameters {
    return DEFAULT_ALERT_PARAMETERS;
  }

  async effective(user: AuthenticatedUser, institutionId: string): Promise<EffectiveParametersDto> {
    await this.assertManages(user, institutionId);
    const version = await this.repository.inForce(undefined, institutionId, new Date());
    return {
      institutionId,
      setAt: version.setAt,
      effectiveFrom: version.effectiveFrom,
      parameters: version.parameters ?? DEFAULT_ALERT_PARAMETERS,
    };
  }

  /** Sets an institution's parameters for events from now on; audited in the same transaction. */
  async set(
    user: AuthenticatedUser,
    institutionId: string,
    parameters: AlertParametersDto | null,
  ): Promise<EffectiveParametersDto> {
    await this.assertManages(user, institutionId);
    const value: AlertParameters | null = parameters && {
      currency: parameters.currency,
      largeInflow: { ...parameters.largeInflow },
      largeOutflow: { ...parameters.largeOutflow },
      frequentTransfersToOtherBanks: { ...parameters.frequentTransfersToOtherBanks },
      largeCardSpend: { ...parameters.largeCardSpend },
      reminderDaysBefore: { ...parameters.reminderDaysBefore },
    };
    await this.dataSource.transaction(async (tx) => {
      const effectiveFrom = await this.repository.append(tx, institutionId, value, user.userId);
      await this.audit.record(
        {
          actor: user,
          action: value ? 'alert-parameters.set' : 'alert-parameters.reset',
          resourceType: 'alert-parameters',
          resourceId: institutionId,
          outcome: 'allowed',
          details: { effectiveFrom: effectiveFrom.toISOString(), parameters: value },
        },
        tx,
      );
    });
    return this.effective(user, institutionId);
  }

  /** Head-office admins set any institution's parameters; an institution head those of their subtree. */
  private async assertManages(user: AuthenticatedUser, institutionId: string): Promise<void> {
    if (!(await this.coverage.institutionExists(institutionId))) {
      throw new AlertException(
        AlertExceptionCode.InstitutionUnknown,
        `institution ${institutionId} is not known`,
      );
    }
    assertInstitutionInScope(await this.scopes.resolve(user), institutionId);
  }
}
