import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { AlertKind, AlertSeverity, IsBoundedText, IsEntityId, IsTimestamp } from '@crm/contracts';
import { AlertStatus, type AlertRow } from './alert.repository';

export class AlertQueryDto {
  @IsOptional()
  @IsIn(Object.values(AlertKind))
  @ApiPropertyOptional({ enum: Object.values(AlertKind) })
  kind?: AlertKind;

  @IsOptional()
  @IsIn(Object.values(AlertStatus))
  @ApiPropertyOptional({ enum: Object.values(AlertStatus) })
  status?: AlertStatus;

  @IsOptional()
  @IsEntityId()
  @ApiPropertyOptional({ description: 'Only this customer’s alerts, e.g. C90000001' })
  customerId?: string;

  @IsOptional()
  @IsTimestamp()
  @ApiPropertyOptional({
    format: 'date-time',
    description: 'Raised at or after (with zone offset), e.g. 2025-03-01T00:00:00+08:00',
  })
  from?: string;

  @IsOptional()
  @IsTimestamp()
  @ApiPropertyOptional({
    format: 'date-time',
    description: 'Raised before (with zone offset), e.g. 2025-04-01T00:00:00+08:00',
  })
  to?: string;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  @Matches(/^[A-Za-z0-9_-]+$/, { message: '$property must be a cursor returned by a previous page' })
  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  cursor?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  limit?: number;
}

export class CountsQueryDto {
  @IsOptional()
  @IsIn(Object.values(AlertStatus))
  @ApiPropertyOptional({ enum: Object.values(AlertStatus) })
  status?: AlertStatus;
}

/** What a watcher of new alerts (gRPC WatchAlerts) wants: only these kinds, or all. */
export class WatchAlertsDto {
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(Object.values(AlertKind).length)
  @IsIn(Object.values(AlertKind), { each: true })
  kinds?: AlertKind[];
}

export class ResolveAlertDto {
  @IsBoundedText(1000)
  @ApiProperty({
    minLength: 1,
    maxLength: 1000,
    example: '已电话联系客户，资金用于购房，无流失风险',
    description: 'What was done and what came of it',
  })
  outcome!: string;
}

export class AlertAmountDto {
  @ApiProperty({ example: '800000.00' })
  amount!: string;

  @ApiProperty({ example: 'CNY' })
  currency!: string;
}

export class AlertDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ enum: Object.values(AlertKind) })
  kind!: string;

  @ApiProperty({ enum: Object.values(AlertSeverity) })
  severity!: string;

  @ApiProperty()
  customerId!: string;

  @ApiProperty({ description: 'The account, loan or card' })
  subjectRef!: string;

  @ApiProperty({ description: 'Deduplicates the alert (see AlertKind)', example: '2025-03-01' })
  periodKey!: string;

  @ApiPropertyOptional({ type: AlertAmountDto })
  amount?: AlertAmountDto;

  @ApiProperty({ description: 'The customer’s primary institution' })
  institutionId!: string;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'Primary manager, or the institution head',
  })
  managerId!: string | null;

  @ApiProperty({ enum: ['primary-manager', 'institution-head'] })
  routedTo!: string;

  @ApiPropertyOptional({ type: String, nullable: true })
  secondaryInstitutionId!: string | null;

  @ApiPropertyOptional({ type: String, nullable: true })
  secondaryManagerId!: string | null;

  @ApiProperty()
  reason!: string;

  @ApiProperty({ format: 'date-time', description: 'Event time of the triggering fact' })
  occurredAt!: string;

  @ApiProperty({ format: 'date-time' })
  raisedAt!: string;

  @ApiProperty({ enum: Object.values(AlertStatus) })
  status!: string;

  @ApiPropertyOptional({ type: String, nullable: true, format: 'date-time' })
  acknowledgedAt!: string | null;

  @ApiPropertyOptional({ type: String, nullable: true })
  acknowledgedBy!: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, format: 'date-time' })
  resolvedAt!: string | null;

  @ApiPropertyOptional({ type: String, nullable: true })
  resolvedBy!: string | null;

  @ApiPropertyOptional({ type: String, nullable: true })
  outcome!: string | null;

  static of(row: AlertRow): AlertDto {
    return {
      id: row.id,
      kind: row.kind,
      severity: row.severity,
      customerId: row.customer_id,
      subjectRef: row.subject_ref,
      periodKey: row.period_key,
      ...(row.amount !== null && row.currency !== null
        ? { amount: { amount: row.amount, currency: row.currency } }
        : {}),
      institutionId: row.institution_id,
      managerId: row.manager_id,
      routedTo: row.routed_to,
      secondaryInstitutionId: row.secondary_institution_id,
      secondaryManagerId: row.secondary_manager_id,
      reason: row.reason,
      occurredAt: row.occurred_at.toISOString(),
      raisedAt: row.raised_at.toISOString(),
      status: row.status,
      acknowledgedAt: row.acknowledged_at?.toISOString() ?? null,
      acknowledgedBy: row.acknowledged_by,
      resolvedAt: row.resolved_at?.toISOString() ?? null,
      resolvedBy: row.resolved_by,
      outcome: row.outcome,
    };
  }
}

export class AlertPageDto {
  @ApiProperty({ type: [AlertDto] })
  items!: AlertDto[];

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'Pass as `cursor` for the next page; null on the last',
  })
  nextCursor!: string | null;
}

export class AlertCountDto {
  @ApiProperty({ enum: Object.values(AlertKind) })
  kind!: string;

  @ApiProperty({ example: 3 })
  count!: number;
}
