import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
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
  @ApiProperty({ type: Number, nullable: true }) indicatorsMs!: number | null;
  @ApiProperty({ type: Number, nullable: true }) profilesMs!: number | null;
}

export class CobRunDto {
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
  @ApiProperty({ description: 'Changed profiles put into the outbox so far' }) published!: number;
  @ApiProperty({ type: String, nullable: true }) error!: string | null;
  @ApiProperty({ format: 'date-time' }) startedAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) finishedAt!: string | null;
  @ApiProperty({ type: [CobRunShardDto] }) shardProgress!: CobRunShardDto[];
}
