import { ApiProperty } from '@nestjs/swagger';
import { Matches } from 'class-validator';
import { MONTH_PERIOD, composeDecorators } from '@crm/contracts';
import { MONTHLY_TABLES, type MonthlyTable } from './month-partition.rule';

/** A business month `YYYY-MM`: validation and OpenAPI from one decorator. */
const ValidateMonth = (description: string) =>
  composeDecorators(
    Matches(MONTH_PERIOD, { message: '$property must be a month YYYY-MM' }),
    ApiProperty({ type: String, example: '2024-01', pattern: MONTH_PERIOD.source, description }),
  );

export class PartitionDto {
  @ApiProperty({ enum: MONTHLY_TABLES, example: 'transaction_fact' })
  table!: MonthlyTable;

  @ApiProperty({ example: '2024-01', description: 'The business month it holds' })
  month!: string;

  @ApiProperty({ example: 'transaction_fact_2024_01' })
  name!: string;

  @ApiProperty({ description: 'False once detached: the table is kept, no longer read by the warehouse' })
  attached!: boolean;
}

export class PartitionListDto {
  @ApiProperty({ type: [PartitionDto], description: 'Oldest first, per table' })
  partitions!: PartitionDto[];
}

export class DetachPartitionsDto {
  @ValidateMonth(
    'Detach every month before this one. The current month and the retained months before it ' +
      '(TRANSACTION_RETAINED_MONTHS) always stay attached.',
  )
  before!: string;
}

export class DetachedPartitionsDto {
  @ApiProperty({ type: [PartitionDto], description: 'What this call detached, oldest first' })
  detached!: PartitionDto[];
}
