import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { ApiProblems } from '@crm/http';
import { AuthenticatedUser, CurrentUser, Roles } from '@crm/security';
import { ALERT_READERS } from '../common/alert-roles';
import {
  CreateWebhookDto,
  CreatedWebhookDto,
  DeliveryDto,
  DeliveryQueryDto,
  WebhookDto,
} from './webhook.dto';
import { WebhookService } from './webhook.service';

@ApiTags('webhooks (提醒推送)')
@Controller('webhooks')
@Roles(...ALERT_READERS)
export class WebhookController {
  constructor(private readonly webhooks: WebhookService) {}

  @Post()
  @ApiOperation({
    summary:
      'Subscribe a URL to new alerts the caller may see (their inbox’s scope), signed as Standard Webhooks ' +
      '(webhook-id, webhook-timestamp, webhook-signature); the secret is in this answer only. Audited',
  })
  @ApiCreatedResponse({ type: CreatedWebhookDto })
  @ApiProblems()
  create(@CurrentUser() user: AuthenticatedUser, @Body() body: CreateWebhookDto): Promise<CreatedWebhookDto> {
    return this.webhooks.create(user, body);
  }

  @Get()
  @ApiOperation({ summary: 'The caller’s webhooks (head office: all), newest first' })
  @ApiOkResponse({ type: [WebhookDto] })
  @ApiProblems()
  list(@CurrentUser() user: AuthenticatedUser): Promise<WebhookDto[]> {
    return this.webhooks.list(user);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One of the caller’s webhooks' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: WebhookDto })
  @ApiProblems(404)
  get(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string): Promise<WebhookDto> {
    return this.webhooks.get(user, id);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Stop a webhook; what it still had to deliver is cancelled. Audited' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiNoContentResponse()
  @ApiProblems(404)
  remove(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string): Promise<void> {
    return this.webhooks.remove(user, id);
  }

  @Get(':id/deliveries')
  @ApiOperation({
    summary:
      'A webhook’s deliveries, newest first: pending, delivered, dead (after the last attempt) or cancelled',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: [DeliveryDto] })
  @ApiProblems(404)
  deliveries(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id') id: string,
    @Query() query: DeliveryQueryDto,
  ): Promise<DeliveryDto[]> {
    return this.webhooks.deliveries(user, id, query);
  }

  @Post(':id/deliveries/:deliveryId/redeliver')
  @HttpCode(200)
  @ApiOperation({ summary: 'Send a dead or cancelled delivery again, with the same webhook-id. Audited' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiParam({ name: 'deliveryId', format: 'uuid' })
  @ApiOkResponse({ type: DeliveryDto })
  @ApiProblems(404, 409)
  redeliver(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id') id: string,
    @Param('deliveryId') deliveryId: string,
  ): Promise<DeliveryDto> {
    return this.webhooks.redeliver(user, id, deliveryId);
  }
}
