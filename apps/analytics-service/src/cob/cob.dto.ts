import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsUUID, Max, Min, ValidationArguments, registerDecorator } from 'class-validator';
import { daysBetween } from '@crm/calendar';
import { IsCalendarDate } from '@crm/contracts';
import { ContributionSpreadsDto } from '../parameters/analytics-parameters.dto';
import { RFM_SCORES } from '../profiles/rfm.rule';
import { RunPhase, RunStatus, ShardStage } from './cob-run.repository';

export class StartCobRunDto {
  @IsCalendarDate()
  @ApiProperty({
    example: '2025-03-31',
    description: 'The business date to close: today or earlier (an earlier one is a backfill, as of its end)',
  })
  businessDate!: string;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(256)
  @ApiPropertyOptional({ minimum: 1, maximum: 256, description: 'Shards of customers; default COB_SHARDS' })
  shards?: number;
}

/** The most business dates one backfill or one listing of runs covers. */
export const MAX_COB_RANGE_DAYS = 366;

/** The end of a range of dates starting at the sibling `from`: on or after it, within the most dates. */
function RangeEnd(from: string): PropertyDecorator {
  return (target, propertyKey) =>
    registerDecorator({
      name: 'rangeEnd',
      target: target.constructor,
      propertyName: propertyKey as string,
      validator: {
        validate: (value: unknown, args: ValidationArguments) => {
          const start = (args.object as Record<string, unknown>)[from];
          // Malformed dates are reported by their own checks.
          if (typeof value !== 'string' || typeof start !== 'string') return true;
          if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || !/^\d{4}-\d{2}-\d{2}$/.test(start)) return true;
          return value >= start && daysBetween(start, value) < MAX_COB_RANGE_DAYS;
        },
        defaultMessage: () => `$property must be on or after ${from}, at most ${MAX_COB_RANGE_DAYS} dates on`,
      },
    });
}

export class StartBackfillDto {
  @IsCalendarDate()
  @ApiProperty({ example: '2025-03-01', description: 'The first business date to run' })
  from!: string;

  @IsCalendarDate()
  @RangeEnd('from')
  @ApiProperty({
    example: '2025-03-31',
    description: `The last business date to run: today or earlier, on or after \`from\`, at most ${MAX_COB_RANGE_DAYS} dates`,
  })
  to!: string;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(256)
  @ApiPropertyOptional({ minimum: 1, maximum: 256, description: 'Shards of customers; default COB_SHARDS' })
  shards?: number;
}

export class BackfillDto {
  @ApiProperty({ example: '2025-03-01' }) from!: string;
  @ApiProperty({ example: '2025-03-31' }) to!: string;
  @ApiProperty() shards!: number;
  @ApiProperty() requestedBy!: string;
  @ApiProperty({ description: 'Business dates it runs, one after the other' }) dates!: number;
}

export class CobRunsQuery {
  @IsCalendarDate()
  @ApiProperty({ example: '2025-03-01', description: 'The first business date' })
  from!: string;

  @IsCalendarDate()
  @RangeEnd('from')
  @ApiProperty({
    example: '2025-03-31',
    description: `The last business date, at most ${MAX_COB_RANGE_DAYS} dates on`,
  })
  to!: string;
}

export class CobRunIdParam {
  @IsUUID()
  @ApiProperty({ format: 'uuid' })
  runId!: string;
}

export class RfmBreakpointDto {
  @ApiProperty({ enum: RFM_SCORES })
  score!: number;

  @ApiProperty({
    description: 'The worst value still given the score: a minimum (frequency, monetary) or days (recency)',
    example: '12',
  })
  bound!: string;
}

export class RfmBreakpointsDto {
  @ApiProperty({ type: [RfmBreakpointDto] }) recency!: RfmBreakpointDto[];
  @ApiProperty({ type: [RfmBreakpointDto] }) frequency!: RfmBreakpointDto[];
  @ApiProperty({ type: [RfmBreakpointDto] }) monetary!: RfmBreakpointDto[];
}

export class RunTierThresholdsDto {
  @ApiProperty({ example: '1000000.00' }) top!: string;
  @ApiProperty({ example: '300000.00' }) important!: string;
  @ApiProperty({ example: '50000.00' }) core!: string;
}

export class RunParametersDto {
  @ApiProperty({ type: RunTierThresholdsDto }) valueTiers!: RunTierThresholdsDto;
  @ApiProperty({ type: ContributionSpreadsDto }) contributionSpreads!: ContributionSpreadsDto;
}

export class CobRunShardDto {
  @ApiProperty() shard!: number;
  @ApiProperty({ enum: Object.values(ShardStage) }) stage!: string;
  @ApiProperty({ type: Number, nullable: true, description: 'Customers whose figures it wrote' })
  customers!: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'Profiles that differ from the previous date’s' })
  changed!: number | null;
  @ApiProperty({ description: 'Its changed profiles Kafka has acknowledged so far' }) published!: number;
  @ApiProperty({ type: Number, nullable: true }) indicatorsMs!: number | null;
  @ApiProperty({ type: Number, nullable: true }) profilesMs!: number | null;
  @ApiProperty({ type: Number, nullable: true }) publishingMs!: number | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The worker that wrote its indicators: host (pod), process and instance',
    example: 'analytics-7f9c/1/a1b2c3',
  })
  indicatedBy!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'The worker that wrote its profiles' })
  profiledBy!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'The worker that published its last batch' })
  publishedBy!: string | null;
}

export class CobRunProgressDto {
  @ApiProperty() shards!: number;
  @ApiProperty({ description: 'Shards whose indicators are written' }) indicated!: number;
  @ApiProperty({ description: 'Shards whose profiles are written' }) profiled!: number;
  @ApiProperty({ description: 'Shards whose changed profiles are all published' }) published!: number;
  @ApiProperty({ description: 'Customers whose figures are written so far' }) customers!: number;
}

export class CobPhaseTimingsDto {
  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'Start to the RFM breakpoints (so far, if running)',
  })
  indicators!: number | null;
  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'Every shard’s profiles; null before they begin',
  })
  profiles!: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'Every shard’s changed profiles onto Kafka' })
  publishing!: number | null;
}

export class CobRunSummaryDto {
  @ApiProperty({ format: 'uuid' }) runId!: string;
  @ApiProperty({ example: '2025-03-31' }) businessDate!: string;
  @ApiProperty() shards!: number;
  @ApiProperty({ enum: Object.values(RunStatus) }) status!: string;
  @ApiProperty({ enum: Object.values(RunPhase) }) phase!: string;
  @ApiProperty() requestedBy!: string;
  @ApiProperty({ type: RunParametersDto, description: 'The parameters in force when it started' })
  parameters!: RunParametersDto;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The date whose profiles it compares with (the latest earlier finished run)',
  })
  previousBusinessDate!: string | null;
  @ApiProperty({ type: RfmBreakpointsDto, nullable: true }) rfmBreakpoints!: RfmBreakpointsDto | null;
  @ApiProperty({ type: Number, nullable: true }) customers!: number | null;
  @ApiProperty({ type: Number, nullable: true }) changed!: number | null;
  @ApiProperty({ description: 'Changed profiles Kafka has acknowledged so far' }) published!: number;
  @ApiProperty({ type: String, nullable: true }) error!: string | null;
  @ApiProperty({ format: 'date-time' }) startedAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) profilesStartedAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) publishingStartedAt!: string | null;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description:
      'It publishes the changed profiles computed from this instant on: its own, and an earlier run’s of the date that did not finish publishing',
  })
  publishFrom!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) finishedAt!: string | null;
  @ApiProperty({ type: CobRunProgressDto }) progress!: CobRunProgressDto;
  @ApiProperty({ type: CobPhaseTimingsDto, description: 'Milliseconds of each phase' })
  phaseMs!: CobPhaseTimingsDto;
}

export class CobRunDto extends CobRunSummaryDto {
  @ApiProperty({ type: [CobRunShardDto] }) shardProgress!: CobRunShardDto[];
}

export class CobRunListDto {
  @ApiProperty({
    type: [CobRunSummaryDto],
    description: 'Latest business date first; a date’s latest run first',
  })
  runs!: CobRunSummaryDto[];
}
