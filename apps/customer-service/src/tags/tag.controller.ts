import { Body, Controller, Delete, HttpCode, Param, Post } from '@nestjs/common';
import { ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '@crm/http';
import { AuthenticatedUser, CurrentUser, Roles } from '@crm/security';
import { CUSTOMER_EDITORS } from '../common/customer-roles';
import { CustomerIdParam, TagParams } from '../common/route-params.dto';
import { AddTagDto } from './tag.dto';
import { TagService } from './tag.service';

@ApiTags('customers')
@Controller('customers')
export class TagController {
  constructor(private readonly tags: TagService) {}

  @Post(':customerId/tags')
  @HttpCode(204)
  @Roles(...CUSTOMER_EDITORS)
  @ApiOperation({ summary: 'Add a manual tag to a customer (idempotent)' })
  @ApiNoContentResponse({ description: 'Tagged' })
  @ApiProblems(400, 404)
  addTag(
    @CurrentUser() user: AuthenticatedUser,
    @Param() params: CustomerIdParam,
    @Body() body: AddTagDto,
  ): Promise<void> {
    return this.tags.addTag(user, params.customerId, body.tag);
  }

  @Delete(':customerId/tags/:tag')
  @HttpCode(204)
  @Roles(...CUSTOMER_EDITORS)
  @ApiOperation({ summary: 'Remove a manual tag from a customer' })
  @ApiNoContentResponse({ description: 'Removed' })
  @ApiProblems(400, 404)
  removeTag(@CurrentUser() user: AuthenticatedUser, @Param() params: TagParams): Promise<void> {
    return this.tags.removeTag(user, params.customerId, params.tag);
  }
}
