import { ApiProperty } from '@nestjs/swagger';
import { IsEntityId } from '@crm/contracts';

export class IdParamDto {
  @ApiProperty({ maxLength: 64 })
  @IsEntityId()
  id!: string;
}
