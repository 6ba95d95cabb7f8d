import { Injectable } from '@nestjs/common';
import { RequestValidationException } from '@crm/http';
import { Money } from '@crm/persistence';
import { AuthenticatedUser, DataScopeResolver } from '@crm/security';
import { CobRunRepository } from '../cob/cob-run.repository';
import { AnalyticsException, AnalyticsExceptionCode } from '../common/analytics.exception';
import { AggregateBy } from '../indicators/indicator.repository';
import type { LeagueTableDto, LeagueTableQueryDto } from './league-table.dto';
import { LeagueTableRepository } from './league-table.repository';
import {
  DEFAULT_ATTRIBUTION_DAYS,
  LeagueMeasure,
  NOT_COUNTED,
  periodDays,
  periodErrors,
  ranked,
  sameYear,
} from './league-table.rule';

/** League tables per institution and per manager over a period, in the caller's data scope (业绩排名). */
@Injectable()
export class LeagueTablesService {
  constructor(
    private readonly league: LeagueTableRepository,
    private readonly runs: CobRunRepository,
    private readonly scopes: DataScopeResolver,
  ) {}

  async table(user: AuthenticatedUser, by: AggregateBy, q: LeagueTableQueryDto): Promise<LeagueTableDto> {
    const errors = periodErrors(q.from, q.to);
    if (errors.length > 0) throw new RequestValidationException(errors);
    const scope = await this.scopes.resolve(user);
    for (const date of [q.from, q.to])
      if (!(await this.runs.succeededOn(date)))
        throw new AnalyticsException(
          AnalyticsExceptionCode.PeriodNotRun,
          `no close of business has finished for ${date}: league tables read the snapshots of both ends`,
        );
    let institutions: readonly string[] | null = null;
    if (q.institutionId) {
      institutions = await this.scopes.subtreeOf(q.institutionId);
      if (institutions.length === 0)
        throw new AnalyticsException(
          AnalyticsExceptionCode.InstitutionUnknown,
          `institution ${q.institutionId} is not known`,
        );
    }
    const days = periodDays(q.from, q.to);
    const rankBy = q.rankBy ?? LeagueMeasure.AumGrowth;
    const attributionDays = q.attributionDays ?? DEFAULT_ATTRIBUTION_DAYS;
    const figures = await this.league.figures(
      scope,
      by,
      { from: q.from, to: q.to, days, sameYear: sameYear(q.from, q.to), attributionDays },
      institutions,
    );
    return {
      by: by === AggregateBy.Institution ? 'institutions' : 'managers',
      from: q.from,
      to: q.to,
      days,
      rankBy,
      attributionDays,
      notCounted: NOT_COUNTED,
      rows: ranked(
        figures,
        (f) => f[rankBy],
        (f) => f.key,
      ).map(({ row, rank }) => ({
        rank,
        ...row,
        conversionRate:
          row.contactedCustomers === 0
            ? null
            : new Money(row.conversions).dividedBy(row.contactedCustomers).toFixed(4, Money.ROUND_HALF_UP),
      })),
    };
  }
}
