import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { AlertRaisedPayload } from '@crm/contracts';
import { RequestValidationException } from '@crm/http';
import {
  AuditLogWriter,
  AuthenticatedUser,
  DataScopeResolver,
  FieldCipher,
  Role,
  hasRole,
} from '@crm/security';
import { BatchKey, EventBatch } from '@crm/messaging';
import { AlertRepository } from '../alerts/alert.repository';
import { AlertServiceConfig } from '../app.config';
import { AlertException, AlertExceptionCode } from '../common/alert.exception';
import { isUuid } from '../common/uuid';
import {
  CreateWebhookDto,
  CreatedWebhookDto,
  DeliveryDto,
  DeliveryQueryDto,
  WebhookDto,
} from './webhook.dto';
import { newWebhookSecret } from './webhook-signature';
import { webhookUrlProblem } from './webhook-url.rule';
import { WebhookRepository, type SubscriptionRow } from './webhook.repository';

/** The principal a subscription delivers for: its creator's rights as they were when it was created. */
const principalOf = (s: SubscriptionRow): AuthenticatedUser => ({
  userId: s.owner_id,
  roles: s.owner_roles as Role[],
  institutionId: s.owner_institution_id,
  ...(s.owner_manager_id ? { managerId: s.owner_manager_id } : {}),
  permissions: [],
});

/** A subscription wants an alert of a kind it asked for (all when it named none), raised since it was made. */
const wants = (s: SubscriptionRow, alert: AlertRaisedPayload): boolean =>
  (s.kinds.length === 0 || s.kinds.includes(alert.kind)) && s.created_at <= new Date(alert.raisedAt);

/** The alerts raised in one batch of crm.alert, matched to the subscriptions before it commits. */
const RAISED_IN_BATCH = new BatchKey<AlertRaisedPayload[]>('alerts raised');

/**
 * Alerts out of the CRM by webhook: a subscription POSTs each new alert its owner may see (the same scope as
 * their inbox) to their URL, signed. Deliveries are made from crm.alert, at least once, by the worker.
 */
@Injectable()
export class WebhookService {
  constructor(
    private readonly webhooks: WebhookRepository,
    private readonly alerts: AlertRepository,
    private readonly scopes: DataScopeResolver,
    private readonly cipher: FieldCipher,
    private readonly audit: AuditLogWriter,
    private readonly dataSource: DataSource,
    private readonly config: AlertServiceConfig,
  ) {}

  async create(user: AuthenticatedUser, dto: CreateWebhookDto): Promise<CreatedWebhookDto> {
    const problem = webhookUrlProblem(dto.url, this.config.NODE_ENV);
    if (problem) throw new RequestValidationException([{ field: 'url', message: problem }]);
    const secret = newWebhookSecret();
    const row = await this.dataSource.transaction(async (tx) => {
      const created = await this.webhooks.insertSubscription(tx, {
        url: dto.url,
        secret_enc: this.cipher.encrypt(secret),
        kinds: dto.kinds ?? [],
        description: dto.description ?? null,
        owner_id: user.userId,
        owner_roles: user.roles,
        owner_institution_id: user.institutionId,
        owner_manager_id: user.managerId ?? null,
      });
      await this.audit.record(
        {
          actor: user,
          action: 'webhook.create',
          resourceType: 'webhook',
          resourceId: created.id,
          outcome: 'allowed',
          details: { url: dto.url, kinds: created.kinds },
        },
        tx,
      );
      return created;
    });
    return { ...WebhookDto.of(row), secret };
  }

  async list(user: AuthenticatedUser): Promise<WebhookDto[]> {
    return (await this.webhooks.subscriptions(this.ownerFilter(user))).map(WebhookDto.of);
  }

  async get(user: AuthenticatedUser, id: string): Promise<WebhookDto> {
    return WebhookDto.of(await this.owned(user, id));
  }

  /** Stops the subscription; what it had still to deliver is cancelled. Audited. */
  async remove(user: AuthenticatedUser, id: string): Promise<void> {
    await this.owned(user, id);
    await this.dataSource.transaction(async (tx) => {
      if (!(await this.webhooks.deactivate(tx, id))) return;
      await this.audit.record(
        {
          actor: user,
          action: 'webhook.delete',
          resourceType: 'webhook',
          resourceId: id,
          outcome: 'allowed',
        },
        tx,
      );
    });
  }

  async deliveries(user: AuthenticatedUser, id: string, query: DeliveryQueryDto): Promise<DeliveryDto[]> {
    await this.owned(user, id);
    return (await this.webhooks.deliveries(id, query.status, query.limit ?? 50)).map(DeliveryDto.of);
  }

  /** Sends a dead or cancelled delivery again, attempts counted afresh. Audited. */
  async redeliver(user: AuthenticatedUser, id: string, deliveryId: string): Promise<DeliveryDto> {
    const subscription = await this.owned(user, id);
    if (!subscription.active || !isUuid(deliveryId)) throw this.notRedeliverable(deliveryId);
    const row = await this.dataSource.transaction(async (tx) => {
      const again = await this.webhooks.redeliver(tx, id, deliveryId);
      if (again)
        await this.audit.record(
          {
            actor: user,
            action: 'webhook.redeliver',
            resourceType: 'webhook-delivery',
            resourceId: deliveryId,
            outcome: 'allowed',
          },
          tx,
        );
      return again;
    });
    if (!row) throw this.notRedeliverable(deliveryId);
    return DeliveryDto.of(row);
  }

  /**
   * A raised alert becomes a delivery for each active subscription that wants its kind and may see it. The
   * alerts of a batch are matched together before it commits: one read of the subscriptions, and one of
   * the alerts each subscriber sees, per batch rather than per alert.
   */
  alertRaised(tx: EntityManager, batch: EventBatch, alert: AlertRaisedPayload): void {
    batch
      .once(RAISED_IN_BATCH, () => {
        const raised: AlertRaisedPayload[] = [];
        batch.beforeCommit(() => this.fanOut(tx, raised));
        return raised;
      })
      .push(alert);
  }

  private async fanOut(tx: EntityManager, raised: readonly AlertRaisedPayload[]): Promise<void> {
    const deliveries: { subscriptionId: string; alertId: string }[] = [];
    for (const subscription of await this.webhooks.active(tx)) {
      const wanted = raised.filter((alert) => wants(subscription, alert)).map((alert) => alert.alertId);
      if (wanted.length === 0) continue;
      const scope = await this.scopes.resolve(principalOf(subscription));
      for (const alertId of await this.alerts.visibleAmong(scope, wanted)) {
        deliveries.push({ subscriptionId: subscription.id, alertId });
      }
    }
    await this.webhooks.addDeliveries(tx, deliveries);
  }

  /** Head office sees every subscription; anyone else their own. */
  private ownerFilter(user: AuthenticatedUser): string | undefined {
    return hasRole(user, Role.HeadOfficeAdmin) ? undefined : user.userId;
  }

  private async owned(user: AuthenticatedUser, id: string): Promise<SubscriptionRow> {
    const row = isUuid(id) ? await this.webhooks.subscription(id, this.ownerFilter(user)) : null;
    if (!row) throw new AlertException(AlertExceptionCode.WebhookNotFound, `webhook ${id} not found`);
    return row;
  }

  private notRedeliverable(deliveryId: string): AlertException {
    return new AlertException(
      AlertExceptionCode.DeliveryNotRedeliverable,
      `delivery ${deliveryId} is not a dead or cancelled delivery of an active webhook`,
    );
  }
}
