import { Controller, Get, Query, StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '@crm/http';
import { AuthenticatedUser, CurrentUser, Roles } from '@crm/security';
import { FIGURE_READERS } from '../common/analytics-roles';
import { AggregateBy } from '../indicators/indicator.repository';
import { leagueTableCsv } from './league-table.csv';
import { LeagueTableDto, LeagueTableQueryDto } from './league-table.dto';
import { leagueTableSvg } from './league-table.svg';
import { LeagueTablesService } from './league-tables.service';

const ABOUT =
  'Books are the primary institution or manager each customer had at `to`, each row over those customers: AUM ' +
  'and its growth, the daily average over the period and its growth against the AUM at `from` (日均增量), new ' +
  'customers, loan balances and new loans with their balance, campaign contacts and conversions (an offered ' +
  'product opened within the attribution window, read from holdings: no conversion event exists). Both dates ' +
  'need a finished close of business (422 otherwise), in one year or `from` the year’s eve. Visits and alerts ' +
  'acted upon are not counted: no event carries them. Only the books in your data scope.';

// StreamableFile keeps the body's length in the options it is given: a fresh object per response.
const csv = (body: string, filename: string) =>
  new StreamableFile(Buffer.from(body), {
    type: 'text/csv; charset=utf-8',
    disposition: `attachment; filename="${filename}"`,
  });
const svg = (body: string) => new StreamableFile(Buffer.from(body), { type: 'image/svg+xml; charset=utf-8' });

@ApiTags('league tables (业绩排名)')
@Controller('league-tables')
@Roles(...FIGURE_READERS)
export class LeagueTablesController {
  constructor(private readonly league: LeagueTablesService) {}

  @Get('institutions')
  @ApiOperation({ summary: 'League table of institutions over a period, ranked', description: ABOUT })
  @ApiOkResponse({ type: LeagueTableDto })
  @ApiProblems(404, 422)
  institutions(
    @CurrentUser() user: AuthenticatedUser,
    @Query() q: LeagueTableQueryDto,
  ): Promise<LeagueTableDto> {
    return this.league.table(user, AggregateBy.Institution, q);
  }

  @Get('managers')
  @ApiOperation({
    summary: 'League table of relationship managers over a period, ranked',
    description: ABOUT,
  })
  @ApiOkResponse({ type: LeagueTableDto })
  @ApiProblems(404, 422)
  managers(@CurrentUser() user: AuthenticatedUser, @Query() q: LeagueTableQueryDto): Promise<LeagueTableDto> {
    return this.league.table(user, AggregateBy.Manager, q);
  }

  @Get('institutions.csv')
  @ApiOperation({
    summary: 'The institutions’ league table as CSV, a row per institution by rank',
    description: ABOUT,
  })
  @ApiProduces('text/csv')
  @ApiOkResponse({
    description: 'CSV with a header row (a file download)',
    schema: { type: 'string', format: 'binary' },
  })
  @ApiProblems(404, 422)
  async institutionsCsv(@CurrentUser() user: AuthenticatedUser, @Query() q: LeagueTableQueryDto) {
    const table = await this.league.table(user, AggregateBy.Institution, q);
    return csv(leagueTableCsv(table), `league-institutions-${q.from}-${q.to}.csv`);
  }

  @Get('managers.csv')
  @ApiOperation({
    summary: 'The managers’ league table as CSV, a row per manager by rank',
    description: ABOUT,
  })
  @ApiProduces('text/csv')
  @ApiOkResponse({
    description: 'CSV with a header row (a file download)',
    schema: { type: 'string', format: 'binary' },
  })
  @ApiProblems(404, 422)
  async managersCsv(@CurrentUser() user: AuthenticatedUser, @Query() q: LeagueTableQueryDto) {
    const table = await this.league.table(user, AggregateBy.Manager, q);
    return csv(leagueTableCsv(table), `league-managers-${q.from}-${q.to}.csv`);
  }

  @Get('institutions.svg')
  @ApiOperation({
    summary: 'The institutions’ league table as a bar chart of the ranked measure',
    description: ABOUT,
  })
  @ApiProduces('image/svg+xml')
  @ApiOkResponse({ description: 'An SVG image', schema: { type: 'string', format: 'binary' } })
  @ApiProblems(404, 422)
  async institutionsSvg(@CurrentUser() user: AuthenticatedUser, @Query() q: LeagueTableQueryDto) {
    return svg(leagueTableSvg(await this.league.table(user, AggregateBy.Institution, q)));
  }

  @Get('managers.svg')
  @ApiOperation({
    summary: 'The managers’ league table as a bar chart of the ranked measure',
    description: ABOUT,
  })
  @ApiProduces('image/svg+xml')
  @ApiOkResponse({ description: 'An SVG image', schema: { type: 'string', format: 'binary' } })
  @ApiProblems(404, 422)
  async managersSvg(@CurrentUser() user: AuthenticatedUser, @Query() q: LeagueTableQueryDto) {
    return svg(leagueTableSvg(await this.league.table(user, AggregateBy.Manager, q)));
  }
}
