import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditLogWriter, AuthenticatedUser } from '@crm/security';
import { DEFAULT_CONTRIBUTION_SPREADS, type ContributionSpreads } from '../indicators/contribution.rule';
import { REPORTING_CURRENCY } from '../indicators/indicator.rule';
import { DEFAULT_CHURN_PARAMETERS, type ChurnParameters } from '../profiles/churn.rule';
import {
  DEFAULT_POTENTIAL_TAG_PARAMETERS,
  type PotentialTagParameters,
} from '../profiles/potential-tag.rule';
import { DEFAULT_VALUE_TIER_THRESHOLDS, type ValueTierThresholds } from '../profiles/value-tier.rule';
import {
  AnalyticsParameterRepository,
  ParameterName,
  StoredParameter,
} from './analytics-parameter.repository';
import type {
  ChurnParametersDto,
  ChurnWarningParametersDto,
  ContributionParametersDto,
  ContributionSpreadsDto,
  PotentialTagParametersDto,
  PotentialTagsDto,
  ValueTierParametersDto,
  ValueTierThresholdsDto,
} from './analytics-parameters.dto';

/** The parameters a close of business runs with, read once when it starts. */
export interface CobParameters {
  valueTiers: ValueTierThresholds;
  contributionSpreads: ContributionSpreads;
  potentialTags: PotentialTagParameters;
  churn: ChurnParameters;
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
    const [tiers, spreads, tags, churn] = await Promise.all([
      this.parameters.latest<ValueTierThresholds>(ParameterName.ValueTiers),
      this.parameters.latest<ContributionSpreads>(ParameterName.ContributionSpreads),
      this.parameters.latest<PotentialTagParameters>(ParameterName.PotentialTags),
      this.parameters.latest<ChurnParameters>(ParameterName.ChurnWarning),
    ]);
    return {
      valueTiers: tiers?.value ?? DEFAULT_VALUE_TIER_THRESHOLDS,
      contributionSpreads: spreads?.value ?? DEFAULT_CONTRIBUTION_SPREADS,
      potentialTags: tags?.value ?? DEFAULT_POTENTIAL_TAG_PARAMETERS,
      churn: churn?.value ?? DEFAULT_CHURN_PARAMETERS,
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

  async potentialTags(): Promise<PotentialTagParametersDto> {
    const stored = await this.parameters.latest<PotentialTagParameters>(ParameterName.PotentialTags);
    return { rules: stored?.value ?? DEFAULT_POTENTIAL_TAG_PARAMETERS, ...changeOf(stored) };
  }

  async churnWarning(): Promise<ChurnWarningParametersDto> {
    const stored = await this.parameters.latest<ChurnParameters>(ParameterName.ChurnWarning);
    return { churn: stored?.value ?? DEFAULT_CHURN_PARAMETERS, ...changeOf(stored) };
  }

  async setPotentialTags(user: AuthenticatedUser, dto: PotentialTagsDto): Promise<PotentialTagParametersDto> {
    const { wealthManagement: w, loan, creditCard, payrollAgency, mobileActivation, highValueAtRisk } = dto;
    await this.set<PotentialTagParameters>(user, ParameterName.PotentialTags, {
      wealthManagement: { minDemandDeposits: w.minDemandDeposits, maxTurnoverShare: w.maxTurnoverShare },
      loan: { minAumAvg90d: loan.minAumAvg90d, minTransactions: loan.minTransactions },
      creditCard: { minPosPurchases: creditCard.minPosPurchases },
      payrollAgency: { minTransfers: payrollAgency.minTransfers },
      mobileActivation: { minTransactions: mobileActivation.minTransactions },
      highValueAtRisk: { minChurnScore: highValueAtRisk.minChurnScore },
    });
    return this.potentialTags();
  }

  async setChurnWarning(
    user: AuthenticatedUser,
    dto: ChurnParametersDto,
  ): Promise<ChurnWarningParametersDto> {
    const { weights: w } = dto;
    await this.set<ChurnParameters>(user, ParameterName.ChurnWarning, {
      warningLine: dto.warningLine,
      weights: {
        aumFall: w.aumFall,
        transfersToOtherBanks: w.transfersToOtherBanks,
        closures: w.closures,
        maturityNotRenewed: w.maturityNotRenewed,
        activityDrop: w.activityDrop,
      },
      minAum: dto.minAum,
      aumFallShare: dto.aumFallShare,
      transferShare: dto.transferShare,
      activityDropShare: dto.activityDropShare,
      minPriorTransactions: dto.minPriorTransactions,
    });
    return this.churnWarning();
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
