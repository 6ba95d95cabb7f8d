import { Injectable } from '@nestjs/common';
import { KeysetCursor, toPage } from '@crm/http';
import { AuthenticatedUser, DataScopeResolver } from '@crm/security';
import { CobRunRepository } from '../cob/cob-run.repository';
import { AnalyticsException, AnalyticsExceptionCode } from '../common/analytics.exception';
import { churnFact } from '../profiles/churn.rule';
import { ProfileRepository } from '../profiles/profile.repository';
import type { ChurnListQueryDto, ChurnWarningPageDto, CustomerChurnDto } from './churn.dto';
import { ChurnListOf, ChurnRepository } from './churn.repository';

const CHURN_CURSOR = new KeysetCursor('churn-warnings', ['int', 'key'] as const);
const DEFAULT_LIMIT = 50;

/** Lists of the customers a close of business warned of churn, and one customer's reasons (客户流失预警). */
@Injectable()
export class ChurnService {
  constructor(
    private readonly churn: ChurnRepository,
    private readonly profiles: ProfileRepository,
    private readonly runs: CobRunRepository,
    private readonly scopes: DataScopeResolver,
  ) {}

  async ofCustomer(
    user: AuthenticatedUser,
    customerId: string,
    businessDate?: string,
  ): Promise<CustomerChurnDto> {
    const scope = await this.scopes.resolve(user);
    const date = await this.dateOf(businessDate);
    const profile = await this.profiles.ofCustomer(scope, customerId, date);
    if (!profile)
      throw new AnalyticsException(
        AnalyticsExceptionCode.NoFigures,
        `no profile of customer ${customerId} at ${date} in your data scope`,
      );
    return {
      customerId,
      businessDate: date,
      score: profile.churnScore,
      warned: profile.churnWarned,
      reasons: profile.churnReasons.map((r) => ({ ...r, fact: churnFact(r.reason, profile.signals) })),
    };
  }

  async warned(
    user: AuthenticatedUser,
    of: { institutionId?: string; managerId?: string },
    query: ChurnListQueryDto,
  ): Promise<ChurnWarningPageDto> {
    const scope = await this.scopes.resolve(user);
    const date = await this.dateOf(query.businessDate);
    let list: ChurnListOf = { kind: 'scope' };
    if (of.institutionId) {
      const institutionIds = await this.scopes.subtreeOf(of.institutionId);
      if (institutionIds.length === 0)
        throw new AnalyticsException(
          AnalyticsExceptionCode.InstitutionUnknown,
          `institution ${of.institutionId} is not known`,
        );
      list = { kind: 'institutions', institutionIds };
    } else if (of.managerId) list = { kind: 'manager', managerId: of.managerId };
    const after = query.cursor ? CHURN_CURSOR.decode(query.cursor) : null;
    const limit = query.limit ?? DEFAULT_LIMIT;
    const rows = await this.churn.warned(scope, list, date, after, limit);
    return { businessDate: date, ...toPage(rows, limit, CHURN_CURSOR, (r) => [r.score, r.customerId]) };
  }

  /** The date asked for, or the latest one a close of business finished. */
  private async dateOf(businessDate: string | undefined): Promise<string> {
    const date = businessDate ?? (await this.runs.latestDate());
    if (!date)
      throw new AnalyticsException(AnalyticsExceptionCode.NoFigures, 'no close of business has finished yet');
    return date;
  }
}
