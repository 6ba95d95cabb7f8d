import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { EMPTY, Observable, Subject, catchError, filter, from, mergeMap } from 'rxjs';
import { DataSource } from 'typeorm';
import { ChannelListener, schemaOf } from '@crm/persistence';
import type { DataScope } from '@crm/security';
import { AlertDto } from './alert.dto';
import { alertChannelOf } from './alert-raiser.service';
import { AlertRepository } from './alert.repository';

/**
 * After the listener was away, the alerts raised since this long before the loss was noticed are
 * announced again: a connection dropped by the network is noticed late, and clocks differ a little.
 */
const REPLAY_MARGIN_MS = 30_000;
const REPLAY_LIMIT = 1_000;
/** Ids announced lately, so that a replay does not announce them twice. */
const ANNOUNCED_REMEMBERED = 10_000;

/**
 * New alerts as they commit, from the alert channel (NOTIFY is sent in the raising transaction, so
 * only committed alerts are announced, whichever instance raised them). Each subscriber re-reads the
 * alert through its own scoped query, so the stream shows exactly what the inbox would. When the
 * listener's connection comes back after a loss, the alerts raised meanwhile are announced then.
 */
@Injectable()
export class AlertStreamService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(AlertStreamService.name);
  private readonly raised = new Subject<string>();
  private readonly announced = new Set<string>();
  private readonly listener: ChannelListener;

  constructor(
    dataSource: DataSource,
    private readonly alerts: AlertRepository,
  ) {
    this.listener = new ChannelListener(dataSource, alertChannelOf(schemaOf(dataSource)), {
      notified: (id) => this.announce(id),
      resumed: (lostAt) => void this.replaySince(lostAt),
      lost: (error) =>
        this.logger.warn({ msg: 'alert stream listener lost; reconnecting', errorClass: error.name }),
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.listener.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.listener.close();
    this.raised.complete();
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

  private announce(id: string): void {
    if (this.announced.has(id)) return;
    this.announced.add(id);
    if (this.announced.size > ANNOUNCED_REMEMBERED)
      this.announced.delete(this.announced.values().next().value as string);
    this.raised.next(id);
  }

  private async replaySince(lostAt: Date): Promise<void> {
    try {
      const ids = await this.alerts.idsRaisedSince(
        new Date(lostAt.getTime() - REPLAY_MARGIN_MS),
        REPLAY_LIMIT,
      );
      if (ids.length === REPLAY_LIMIT)
        this.logger.warn({
          msg: 'alert stream replayed only the first alerts raised while away',
          replayed: ids.length,
        });
      for (const id of ids) this.announce(id);
    } catch (error) {
      this.logger.warn({
        msg: 'alert stream could not replay alerts raised while away',
        errorClass: (error as Error).name,
      });
    }
  }
}
