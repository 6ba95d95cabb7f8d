import { ApiProperty } from '@nestjs/swagger';
import { IsEntityId } from '@crm/contracts';

export class CustomerIdParam {
  @ApiProperty({ description: 'Core-banking customer id' })
  @IsEntityId()
  customerId!: string;
}
