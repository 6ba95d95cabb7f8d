import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { FieldCipher } from '@crm/security';
import { AlertDto } from '../alerts/alert.dto';
import { AlertServiceConfig } from '../app.config';
import { webhookSignature } from './webhook-signature';
import { WebhookRepository, type ClaimedDelivery } from './webhook.repository';

/** Deliveries attempted at once per poll: each waits at most WEBHOOK_TIMEOUT_MS for its receiver. */
const BATCH = 32;
/** Longest wait between two attempts of a delivery, however many failed before. */
const MAX_BACKOFF_MS = 6 * 3_600_000;

/** An answer that is not 2xx, or no answer. */
interface Failure {
  httpStatus: number | null;
  error: string;
}

/**
 * POSTs due deliveries to their subscribers, signed, at least once: a delivery is leased for the attempt, so
 * an instance that dies mid-attempt leaves it to be tried again when the lease lapses (the receiver dedupes
 * by `webhook-id`). A failure is retried after WEBHOOK_RETRY_BASE_MS × 2^(attempts − 1) (± a tenth, so a
 * receiver coming back is not hit by every retry at once), and after WEBHOOK_MAX_ATTEMPTS the delivery is
 * dead: listed by the API, and sent again on request.
 */
@Injectable()
export class WebhookDeliveryWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(WebhookDeliveryWorker.name);
  private timer?: NodeJS.Timeout;
  private polling: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly webhooks: WebhookRepository,
    private readonly cipher: FieldCipher,
    private readonly config: AlertServiceConfig,
  ) {}

  onApplicationBootstrap(): void {
    let busy = false;
    this.timer = setInterval(() => {
      // A poll waiting on slow receivers is not queued behind: the next tick after it polls again.
      if (busy) return;
      busy = true;
      this.polling = this.poll().finally(() => (busy = false));
    }, this.config.WEBHOOK_POLL_INTERVAL_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.polling;
  }

  private async poll(): Promise<void> {
    if (this.stopped) return;
    try {
      // A lease outlives every attempt of the batch, which run together.
      const claimed = await this.webhooks.claimDue(BATCH, this.config.WEBHOOK_TIMEOUT_MS * 2 + 10_000);
      if (claimed.length === 0) return;
      const alerts = await this.webhooks.alerts(claimed.map((d) => d.alert_id));
      await Promise.all(
        claimed.map((delivery) => this.attempt(delivery, AlertDto.of(alerts.get(delivery.alert_id)!))),
      );
    } catch (error) {
      this.logger.warn({ msg: 'webhook deliveries could not be claimed or recorded', error: String(error) });
    }
  }

  private async attempt(delivery: ClaimedDelivery, alert: AlertDto): Promise<void> {
    if (!delivery.subscription_active) return this.webhooks.cancel(delivery.id);
    const failure = await this.post(delivery, alert);
    if (!failure) return;
    const last = delivery.attempts >= this.config.WEBHOOK_MAX_ATTEMPTS;
    await this.webhooks.failed(
      delivery.id,
      failure,
      last ? null : new Date(Date.now() + this.backoff(delivery.attempts)),
    );
    if (last)
      this.logger.warn({
        msg: 'webhook delivery dead after its last attempt',
        deliveryId: delivery.id,
        subscriptionId: delivery.subscription_id,
        attempts: delivery.attempts,
        lastStatus: failure.httpStatus,
      });
  }

  /** null when the receiver took it (2xx). */
  private async post(delivery: ClaimedDelivery, alert: AlertDto): Promise<Failure | null> {
    const timestamp = Math.floor(Date.now() / 1000);
    const body = JSON.stringify({
      type: 'alert.raised',
      timestamp: new Date(timestamp * 1000).toISOString(),
      data: alert,
    });
    const secret = this.cipher.decrypt(delivery.secret_enc);
    try {
      const response = await fetch(delivery.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'webhook-id': delivery.id,
          'webhook-timestamp': String(timestamp),
          'webhook-signature': webhookSignature(secret, delivery.id, timestamp, body),
        },
        body,
        // A redirect is not followed: the subscriber registered this URL, not wherever it points.
        redirect: 'manual',
        signal: AbortSignal.timeout(this.config.WEBHOOK_TIMEOUT_MS),
      });
      await response.body?.cancel();
      if (response.status >= 200 && response.status < 300) {
        await this.webhooks.delivered(delivery.id, response.status);
        return null;
      }
      return { httpStatus: response.status, error: `answered ${response.status}` };
    } catch (error) {
      return {
        httpStatus: null,
        error: (error as Error).cause ? String((error as Error).cause) : String(error),
      };
    }
  }

  private backoff(attempts: number): number {
    const base = Math.min(this.config.WEBHOOK_RETRY_BASE_MS * 2 ** (attempts - 1), MAX_BACKOFF_MS);
    return Math.round(base * (0.9 + Math.random() * 0.2));
  }
}
