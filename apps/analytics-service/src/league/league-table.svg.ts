import { barChart } from '@crm/charts';
import type { LeagueRowDto, LeagueTableDto } from './league-table.dto';
import { LeagueMeasure } from './league-table.rule';

const MONEY: readonly string[] = [
  LeagueMeasure.AumGrowth,
  LeagueMeasure.AumTo,
  LeagueMeasure.AumDailyAverage,
  LeagueMeasure.AumDailyAverageGrowth,
  LeagueMeasure.LoanGrowth,
  LeagueMeasure.NewLoanBalance,
];

/** The league table as a chart: a bar per book by rank, its length the ranked measure, the figure beside it. */
export function leagueTableSvg(t: LeagueTableDto): string {
  const measure = t.rankBy as keyof LeagueRowDto;
  const unit = MONEY.includes(t.rankBy) ? ' CNY' : '';
  return barChart({
    title: `League table of ${t.by}: ${t.rankBy}${unit}`,
    caption: `after ${t.from} up to ${t.to} (${t.days} days) · ranked highest first, in your data scope`,
    bars: t.rows.map((r) => ({
      label: `${r.rank}. ${r.name ?? r.key}`,
      // Only the bar's length is a float; the figure shown is the exact one.
      value: Number(r[measure]),
      shown: String(r[measure]),
    })),
  });
}
