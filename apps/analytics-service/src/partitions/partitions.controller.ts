import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '@crm/http';
import { AuthenticatedUser, CurrentUser, Role, Roles } from '@crm/security';
import { DetachPartitionsDto, DetachedPartitionsDto, PartitionListDto } from './partition.dto';
import { PartitionsService } from './partitions.service';

@ApiTags('warehouse partitions (数据仓库分区)')
@Controller('warehouse/partitions')
@Roles(Role.HeadOfficeAdmin)
export class PartitionsController {
  constructor(private readonly partitions: PartitionsService) {}

  @Get()
  @ApiOperation({ summary: 'The month partitions of the transaction facts, attached and detached' })
  @ApiOkResponse({ type: PartitionListDto })
  @ApiProblems()
  list(): Promise<PartitionListDto> {
    return this.partitions.list();
  }

  @Post('detach')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Detach the months before a given one (audited): their tables stay in the schema, to archive or drop, ' +
      'and their facts no longer count in any figure',
  })
  @ApiOkResponse({ type: DetachedPartitionsDto })
  @ApiProblems(422)
  detach(
    @CurrentUser() user: AuthenticatedUser,
    @Body() body: DetachPartitionsDto,
  ): Promise<DetachedPartitionsDto> {
    return this.partitions.detachBefore(user, body.before);
  }
}
