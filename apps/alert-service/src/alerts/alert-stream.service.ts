import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Client } from 'pg';
import { EMPTY, Observable, Subject, catchError, filter, from, mergeMap } from 'rxjs';
import { DataSource } from 'typeorm';
import { schemaOf } from '@crm/persistence';
import type { DataScope } from '@crm/security';
import { AlertServiceConfig } from '../app.config';
import { AlertDto } from './alert.dto';
import { alertChannelOf } from './alert-raiser.service';
import { AlertRepository } from './alert.repository';

/**
 * New alerts as they commit, from Postgres LISTEN (NOTIFY is sent in the raising transaction, so only
 * committed alerts are announced, whichever instance raised them). Each subscriber re-reads the alert
 * through its own scoped query, so the stream shows exactly what the inbox would.
 */
@Injectable()
export class AlertStreamService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(AlertStreamService.name);
  private readonly raised = new Subject<string>();
  private client?: Client;

  constructor(
    private readonly dataSource: DataSource,
    private readonly alerts: AlertRepository,
    private readonly config: AlertServiceConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.client = new Client({
      connectionString: this.config.DATABASE_URL,
      application_name: 'alert-stream',
    });
    this.client.on('notification', (n) => n.payload && this.raised.next(n.payload));
    this.client.on('error', (error) =>
      this.logger.error({ msg: 'alert stream connection failed', error: String(error) }),
    );
    await this.client.connect();
    await this.client.query(`LISTEN "${alertChannelOf(schemaOf(this.dataSource))}"`);
  }

  async onApplicationShutdown(): Promise<void> {
    this.raised.complete();
    await this.client?.end().catch(() => undefined);
  }

  /**
   * The alerts raised from now on that the scope may see. An error (a dropped connection, a row
   * that cannot be read) ends this subscriber's stream, never another's nor the process; the
   * client reconnects as SSE clients do.
   */
  streamFor(scope: DataScope): Observable<AlertDto> {
    return this.raised.pipe(
      mergeMap((id) => from(this.alerts.findOne(scope, id))),
      filter((row): row is NonNullable<typeof row> => row !== null),
      mergeMap((row) => [AlertDto.of(row)]),
      catchError((error: unknown) => {
        this.logger.error({ msg: 'alert stream ended by an error', errorClass: (error as Error)?.name });
        return EMPTY;
      }),
    );
  }
}
