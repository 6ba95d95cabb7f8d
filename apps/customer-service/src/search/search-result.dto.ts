import { ApiProperty } from '@nestjs/swagger';

export class CustomerSearchItemDto {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: ['individual', 'corporate'] }) kind!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ nullable: true }) gender!: string | null;
  @ApiProperty({ nullable: true }) age!: number | null;
  @ApiProperty() regionCode!: string;
  @ApiProperty({ nullable: true, description: 'Always masked in search results' }) idNumber!: string | null;
  @ApiProperty({ description: 'Always masked in search results' }) phone!: string;
  @ApiProperty({ nullable: true }) valueTier!: string | null;
  @ApiProperty({ nullable: true }) lifecycleStage!: string | null;
  @ApiProperty({ nullable: true }) primaryInstitutionId!: string | null;
  @ApiProperty({ nullable: true }) primaryManagerId!: string | null;
  @ApiProperty() keyCustomer!: boolean;
  @ApiProperty({ example: '120000.00', description: 'AUM the caller may see (decimal string)' }) aum!: string;
  @ApiProperty({ example: '100000.00' }) deposits!: string;
  @ApiProperty({ example: '0.00' }) loans!: string;
  @ApiProperty({ example: '0.00' }) cards!: string;
  @ApiProperty({ nullable: true }) lastTransactionAt!: string | null;
}

export class CustomerSearchPageDto {
  @ApiProperty({ type: [CustomerSearchItemDto] }) items!: CustomerSearchItemDto[];
  @ApiProperty({ nullable: true, description: 'Pass as cursor for the next page; null on the last page' })
  nextCursor!: string | null;
}
