import { Client } from 'pg';
import { DataSource } from 'typeorm';

const RECONNECT_DELAY_MS = { first: 100, max: 5_000 };
/** TCP keepalive probes notice a connection whose peer vanished without closing it. */
const KEEPALIVE_DELAY_MS = 10_000;

export interface ChannelHandlers {
  /** One notification's payload ('' when it was sent without one). */
  notified(payload: string): void;
  /**
   * Listening again after the connection was lost (noticed at `lostAt`): notifications committed
   * while it was away were not delivered and never will be.
   */
  resumed?(lostAt: Date): void;
  /** The connection failed or ended; the listener reconnects with backoff. */
  lost?(error: Error): void;
}

/**
 * Listens on one Postgres notification channel over a dedicated connection, and reconnects with
 * backoff whenever that connection is lost. NOTIFY is delivered on commit, so a listener hears
 * only committed changes, whichever instance made them. `close()` releases the connection.
 */
export class ChannelListener {
  private client: Client | null = null;
  private closed = false;
  private delay = RECONNECT_DELAY_MS.first;
  private retry: NodeJS.Timeout | null = null;
  private lostAt: Date | null = null;

  constructor(
    private readonly dataSource: DataSource,
    private readonly channel: string,
    private readonly handlers: ChannelHandlers,
  ) {}

  /** Resolves once listening, or once the first attempt failed and a retry is scheduled. */
  async start(): Promise<void> {
    this.closed = false;
    await this.connect();
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const options = this.dataSource.options as { url?: string; applicationName?: string };
    const client = new Client({
      connectionString: options.url,
      application_name: `${options.applicationName ?? 'crm'}:listen`,
      keepAlive: true,
      keepAliveInitialDelayMillis: KEEPALIVE_DELAY_MS,
    });
    client.on('notification', (notification) => this.handlers.notified(notification.payload ?? ''));
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client, new Error('listener connection ended')));
    try {
      await client.connect();
      await client.query(`LISTEN "${this.channel}"`);
    } catch (error) {
      this.lost(client, error as Error);
      return;
    }
    if (this.closed) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.delay = RECONNECT_DELAY_MS.first;
    const lostAt = this.lostAt;
    this.lostAt = null;
    if (lostAt) this.handlers.resumed?.(lostAt);
  }

  private lost(client: Client, error: Error): void {
    if (this.closed || (this.client !== null && this.client !== client) || this.retry) return;
    this.client = null;
    this.lostAt ??= new Date();
    this.handlers.lost?.(error);
    client.end().catch(() => undefined);
    this.retry = setTimeout(() => {
      this.retry = null;
      void this.connect();
    }, this.delay);
    this.retry.unref();
    this.delay = Math.min(this.delay * 2, RECONNECT_DELAY_MS.max);
  }
}
