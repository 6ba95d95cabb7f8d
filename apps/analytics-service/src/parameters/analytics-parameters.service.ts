import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditLogWriter, AuthenticatedUser } from '@crm/security';
import { DEFAULT_CONTRIBUTION_SPREADS, type ContributionSpreads } from '../indicators/contribution.rule';
import { REPORTING_CURRENCY } from '../indicators/indicator.rule';
import { DEFAULT_VALUE_TIER_THRESHOLDS, type ValueTierThresholds } from '../profiles/value-tier.rule';
import {
  AnalyticsParameterRepository,
  ParameterName,
  StoredParameter,
} from './analytics-parameter.repository';
import type {
  ContributionParametersDto,
  ContributionSpreadsDto,
  ValueTierParametersDto,
  ValueTierThresholdsDto,
} from './analytics-parameters.dto';

/** The parameters a close of business runs with, read once when it starts. */
export interface CobParameters {
  valueTiers: ValueTierThresholds;
  contributionSpreads: ContributionSpreads;
}

const changeOf = <T>(stored: StoredParameter<T> | null) => ({
  changedBy: stored?.changedBy ?? null,
  changedAt: stored?.changedAt.toISOString() ?? null,
});

/** The bank's value-tier thresholds and contribution spreads: defaults until set, every change audited. */
@Injectable()
export class AnalyticsParametersService {
  constructor(
    private readonly parameters: AnalyticsParameterRepository,
    private readonly dataSource: DataSource,
    private readonly audit: AuditLogWriter,
  ) {}

  async inForce(): Promise<CobParameters> {
    const [tiers, spreads] = await Promise.all([
      this.parameters.latest<ValueTierThresholds>(ParameterName.ValueTiers),
      this.parameters.latest<ContributionSpreads>(ParameterName.ContributionSpreads),
    ]);
    return {
      valueTiers: tiers?.value ?? DEFAULT_VALUE_TIER_THRESHOLDS,
      contributionSpreads: spreads?.value ?? DEFAULT_CONTRIBUTION_SPREADS,
    };
  }

  async valueTiers(): Promise<ValueTierParametersDto> {
    const stored = await this.parameters.latest<ValueTierThresholds>(ParameterName.ValueTiers);
    const thresholds = stored?.value ?? DEFAULT_VALUE_TIER_THRESHOLDS;
    return { thresholds: { currency: REPORTING_CURRENCY, ...thresholds }, ...changeOf(stored) };
  }

  async contributionSpreads(): Promise<ContributionParametersDto> {
    const stored = await this.parameters.latest<ContributionSpreads>(ParameterName.ContributionSpreads);
    return { spreads: stored?.value ?? DEFAULT_CONTRIBUTION_SPREADS, ...changeOf(stored) };
  }

  /** Applies from the next close of business on (a run keeps the parameters it started with). */
  async setValueTiers(user: AuthenticatedUser, dto: ValueTierThresholdsDto): Promise<ValueTierParametersDto> {
    const { top, important, core } = dto;
    await this.set(user, ParameterName.ValueTiers, { top, important, core });
    return this.valueTiers();
  }

  async setContributionSpreads(
    user: AuthenticatedUser,
    dto: ContributionSpreadsDto,
  ): Promise<ContributionParametersDto> {
    const { current, savings, timeDeposit, wealthProduct, loan, card } = dto;
    await this.set(user, ParameterName.ContributionSpreads, {
      current,
      savings,
      timeDeposit,
      wealthProduct,
      loan,
      card,
    });
    return this.contributionSpreads();
  }

  private async set<T>(user: AuthenticatedUser, name: ParameterName, value: T): Promise<void> {
    await this.dataSource.transaction(async (tx) => {
      const before = (await this.parameters.latest<T>(name, tx))?.value ?? null;
      await this.parameters.append(tx, name, value, user.userId);
      await this.audit.record(
        {
          actor: user,
          action: `analytics-parameters.${name}.set`,
          resourceType: 'analytics-parameters',
          resourceId: name,
          outcome: 'allowed',
          details: { before, after: value },
        },
        tx,
      );
    });
  }
}
