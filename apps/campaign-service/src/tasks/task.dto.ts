import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { IsBoundedText, MARKETING_CHANNELS } from '@crm/contracts';

/** What came of a manager's call or visit. Declined starts the cooling period for the products offered. */
export const TaskOutcome = {
  Interested: 'interested',
  Declined: 'declined',
  Converted: 'converted',
  Unreachable: 'unreachable',
} as const;
export type TaskOutcome = (typeof TaskOutcome)[keyof typeof TaskOutcome];

export class TaskQueryDto {
  @ApiPropertyOptional({ enum: ['open', 'done'] })
  @IsOptional()
  @IsIn(['open', 'done'])
  status?: 'open' | 'done';

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  cursor?: string;
}

export class TaskOutcomeDto {
  @ApiProperty({ enum: Object.values(TaskOutcome) })
  @IsIn(Object.values(TaskOutcome))
  outcome!: TaskOutcome;

  @ApiPropertyOptional({ maxLength: 1000 })
  @IsOptional()
  @IsBoundedText(1000)
  note?: string;
}

export class TaskDto {
  @ApiProperty({ format: 'uuid', description: 'Also the id of the contact it carries out' }) taskId!: string;
  @ApiProperty() campaignId!: string;
  @ApiProperty() customerId!: string;
  @ApiProperty() managerId!: string;
  @ApiProperty() institutionId!: string;
  @ApiProperty({ enum: MARKETING_CHANNELS }) channel!: string;
  @ApiProperty({ type: [String] }) productCodes!: string[];
  @ApiProperty() message!: string;
  @ApiProperty() dueAt!: string;
  @ApiProperty({ enum: ['open', 'done'] }) status!: string;
  @ApiProperty({ enum: Object.values(TaskOutcome), nullable: true }) outcome!: string | null;
  @ApiProperty({ nullable: true }) note!: string | null;
  @ApiProperty({ nullable: true }) doneBy!: string | null;
  @ApiProperty({ nullable: true }) doneAt!: string | null;
}

export class TaskPageDto {
  @ApiProperty({ type: [TaskDto] }) items!: TaskDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}
