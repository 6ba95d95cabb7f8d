import { Injectable } from '@nestjs/common';
import { AuthenticatedUser, DataScopeResolver } from '@crm/security';
import { CobRunRepository } from '../cob/cob-run.repository';
import { AnalyticsException, AnalyticsExceptionCode } from '../common/analytics.exception';
import type { AggregateQueryDto, CustomerIndicatorsDto, IndicatorAggregatesDto } from './indicator.dto';
import { AggregateBy, IndicatorRepository } from './indicator.repository';

/** A customer's indicators and the sums per book, as of a business date, in the caller's data scope. */
@Injectable()
export class IndicatorsService {
  constructor(
    private readonly indicators: IndicatorRepository,
    private readonly runs: CobRunRepository,
    private readonly scopes: DataScopeResolver,
  ) {}

  async ofCustomer(
    user: AuthenticatedUser,
    customerId: string,
    businessDate?: string,
  ): Promise<CustomerIndicatorsDto> {
    const scope = await this.scopes.resolve(user);
    const date = await this.dateOf(businessDate);
    const found = await this.indicators.ofCustomer(scope, customerId, date);
    if (!found)
      throw new AnalyticsException(
        AnalyticsExceptionCode.NoFigures,
        `no figures of customer ${customerId} at ${date} in your data scope`,
      );
    return found;
  }

  async aggregate(
    user: AuthenticatedUser,
    by: AggregateBy,
    query: AggregateQueryDto,
  ): Promise<IndicatorAggregatesDto> {
    const scope = await this.scopes.resolve(user);
    const date = await this.dateOf(query.businessDate);
    let institutions: readonly string[] | null = null;
    if (query.institutionId) {
      institutions = await this.scopes.subtreeOf(query.institutionId);
      if (institutions.length === 0)
        throw new AnalyticsException(
          AnalyticsExceptionCode.InstitutionUnknown,
          `institution ${query.institutionId} is not known`,
        );
    }
    return { businessDate: date, rows: await this.indicators.aggregate(scope, by, date, institutions) };
  }

  /** The date asked for, or the latest one a close of business finished. */
  private async dateOf(businessDate: string | undefined): Promise<string> {
    const date = businessDate ?? (await this.runs.latestDate());
    if (!date)
      throw new AnalyticsException(AnalyticsExceptionCode.NoFigures, 'no close of business has finished yet');
    return date;
  }
}
