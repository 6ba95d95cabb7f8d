import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { AlertKind } from '@crm/contracts';
import { DeliveryStatus, type DeliveryRow, type SubscriptionRow } from './webhook.repository';

export class CreateWebhookDto {
  @IsString()
  @MaxLength(2000)
  @IsUrl({ protocols: ['https', 'http'], require_protocol: true, require_tld: false })
  @ApiProperty({
    example: 'https://case-system.bank.internal/hooks/crm-alerts',
    description: 'Where alerts are POSTed: https (http is accepted outside production)',
  })
  url!: string;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(Object.values(AlertKind).length)
  @IsIn(Object.values(AlertKind), { each: true })
  @ApiPropertyOptional({
    enum: Object.values(AlertKind),
    isArray: true,
    description: 'Only these kinds; all when absent',
  })
  kinds?: AlertKind[];

  @IsOptional()
  @IsString()
  @MaxLength(200)
  @ApiPropertyOptional({ example: '反洗钱案件系统 (AML case system)' })
  description?: string;
}

export class DeliveryQueryDto {
  @IsOptional()
  @IsIn(Object.values(DeliveryStatus))
  @ApiPropertyOptional({ enum: Object.values(DeliveryStatus) })
  status?: DeliveryStatus;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  limit?: number;
}

export class WebhookDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  url!: string;

  @ApiProperty({ enum: Object.values(AlertKind), isArray: true, description: 'Empty: every kind' })
  kinds!: string[];

  @ApiPropertyOptional({ type: String, nullable: true })
  description!: string | null;

  @ApiProperty({ description: 'The principal whose data scope the subscription delivers in' })
  ownerId!: string;

  @ApiProperty()
  active!: boolean;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  static of(row: SubscriptionRow): WebhookDto {
    return {
      id: row.id,
      url: row.url,
      kinds: row.kinds,
      description: row.description,
      ownerId: row.owner_id,
      active: row.active,
      createdAt: row.created_at.toISOString(),
    };
  }
}

export class CreatedWebhookDto extends WebhookDto {
  @ApiProperty({
    example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    description: 'Signs every delivery (Standard Webhooks); shown only in this answer, keep it secret',
  })
  secret!: string;
}

export class DeliveryDto {
  @ApiProperty({ format: 'uuid', description: 'Also the `webhook-id` header: the same on every attempt' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  alertId!: string;

  @ApiProperty({ enum: Object.values(DeliveryStatus) })
  status!: string;

  @ApiProperty()
  attempts!: number;

  @ApiProperty({ format: 'date-time' })
  nextAttemptAt!: string;

  @ApiPropertyOptional({ type: Number, nullable: true, description: 'HTTP status of the last attempt' })
  lastStatus!: number | null;

  @ApiPropertyOptional({ type: String, nullable: true })
  lastError!: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiPropertyOptional({ type: String, nullable: true, format: 'date-time' })
  deliveredAt!: string | null;

  static of(row: DeliveryRow): DeliveryDto {
    return {
      id: row.id,
      alertId: row.alert_id,
      status: row.status,
      attempts: row.attempts,
      nextAttemptAt: row.next_attempt_at.toISOString(),
      lastStatus: row.last_status,
      lastError: row.last_error,
      createdAt: row.created_at.toISOString(),
      deliveredAt: row.delivered_at?.toISOString() ?? null,
    };
  }
}
