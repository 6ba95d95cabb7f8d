import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ChannelListener, schemaOf } from '@crm/persistence';
import { EventPublisher } from '../producer/event-publisher';

export interface OutboxRelayOptions {
  batchSize?: number;
  /** Fallback poll; commits normally wake the relay at once through LISTEN/NOTIFY. */
  pollIntervalMs?: number;
  /** Published rows are kept this long for inspection, then purged. */
  retentionHours?: number;
}

interface PendingRow {
  id: string;
  topic: string;
  message_key: string;
  headers: Record<string, string>;
  /** JSON text. */
  payload: string;
}

/**
 * Publishes committed outbox rows in id order. One relay at a time per schema holds a
 * transaction-scoped advisory lock, so several instances of a service never reorder a key's
 * events. A crash after publish but before marking republishes the same event ids, which
 * consumers de-duplicate; nothing is ever lost.
 */
export class OutboxRelay {
  private readonly logger = new Logger(OutboxRelay.name);
  private readonly schema: string;
  private readonly batchSize: number;
  private readonly pollIntervalMs: number;
  private readonly retentionHours: number;
  private readonly listener: ChannelListener;
  private timer?: NodeJS.Timeout;
  private draining?: Promise<void>;
  private wakeAgain = false;
  private stopped = true;
  private lastPurge = 0;

  constructor(
    private readonly dataSource: DataSource,
    private readonly publisher: EventPublisher,
    options: OutboxRelayOptions = {},
  ) {
    this.schema = schemaOf(dataSource);
    this.batchSize = options.batchSize ?? 500;
    this.pollIntervalMs = options.pollIntervalMs ?? 1_000;
    this.retentionHours = options.retentionHours ?? 72;
    this.listener = new ChannelListener(dataSource, `outbox_${this.schema}`, {
      notified: () => this.wake(),
      // Commits made while the listener was away woke nobody.
      resumed: () => this.wake(),
      lost: (error) =>
        this.logger.warn({ msg: 'outbox listener lost; polling continues', error: String(error) }),
    });
  }

  async start(): Promise<void> {
    this.stopped = false;
    await this.listener.start();
    this.schedule();
    this.wake();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.draining;
    await this.listener.close();
  }

  /** Publishes everything pending now; returns how many events went out. */
  async publishPending(): Promise<number> {
    let total = 0;
    for (;;) {
      const published = await this.publishBatch();
      total += published;
      if (published < this.batchSize) return total;
    }
  }

  private wake(): void {
    if (this.stopped) return;
    if (this.draining) {
      this.wakeAgain = true;
      return;
    }
    this.draining = this.drain().finally(() => {
      this.draining = undefined;
      if (this.wakeAgain) {
        this.wakeAgain = false;
        this.wake();
      }
    });
  }

  private async drain(): Promise<void> {
    try {
      await this.publishPending();
      await this.purgeIfDue();
    } catch (error) {
      this.logger.warn({ msg: 'outbox relay failed; will retry', error: String(error) });
    }
  }

  private schedule(): void {
    this.timer = setTimeout(() => {
      this.wake();
      if (!this.stopped) this.schedule();
    }, this.pollIntervalMs);
    this.timer.unref();
  }

  private publishBatch(): Promise<number> {
    return this.dataSource.transaction(async (tx) => {
      const [{ locked }] = await tx.query(`SELECT pg_try_advisory_xact_lock(hashtext($1)) AS locked`, [
        `outbox:${this.schema}`,
      ]);
      if (!locked) return 0;
      const rows: PendingRow[] = await tx.query(
        // The payload as stored text: it goes to Kafka as is, not parsed and serialised again.
        `SELECT id, topic, message_key, headers, payload::text AS payload FROM "${this.schema}".outbox
         WHERE published_at IS NULL ORDER BY id LIMIT $1`,
        [this.batchSize],
      );
      if (rows.length === 0) return 0;
      const byTopic = new Map<string, PendingRow[]>();
      for (const row of rows) {
        const topicRows = byTopic.get(row.topic);
        if (topicRows) topicRows.push(row);
        else byTopic.set(row.topic, [row]);
      }
      for (const [topic, topicRows] of byTopic) {
        await this.publisher.sendRaw(
          topic,
          topicRows.map((r) => ({
            key: r.message_key,
            value: r.payload,
            headers: r.headers,
          })),
        );
      }
      await tx.query(`UPDATE "${this.schema}".outbox SET published_at = now() WHERE id = ANY($1::bigint[])`, [
        rows.map((r) => r.id),
      ]);
      return rows.length;
    });
  }

  private async purgeIfDue(): Promise<void> {
    if (Date.now() - this.lastPurge < 3_600_000) return;
    this.lastPurge = Date.now();
    await this.dataSource.query(
      `DELETE FROM "${this.schema}".outbox WHERE published_at < now() - make_interval(hours => $1)`,
      [this.retentionHours],
    );
  }
}
