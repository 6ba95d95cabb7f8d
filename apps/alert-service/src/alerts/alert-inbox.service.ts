import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { KeysetCursor, RequestValidationException } from '@crm/http';
import { AuditLogWriter, AuthenticatedUser, DataScope, DataScopeResolver } from '@crm/security';
import { AlertException, AlertExceptionCode } from '../common/alert.exception';
import { isUuid } from '../common/uuid';
import { AlertCountDto, AlertDto, AlertPageDto, AlertQueryDto } from './alert.dto';
import { AlertRepository, AlertStatus, type AlertRow } from './alert.repository';

/** The last row's (raised_at, id). */
const ALERT_CURSOR = new KeysetCursor('alerts', ['timestamp', 'uuid'] as const);

/** A manager's inbox (their alerts), a head's (their subtree's), head office's (all): scope in every query. */
@Injectable()
export class AlertInboxService {
  constructor(
    private readonly alerts: AlertRepository,
    private readonly scopes: DataScopeResolver,
    private readonly audit: AuditLogWriter,
    private readonly dataSource: DataSource,
  ) {}

  scopeOf(user: AuthenticatedUser): Promise<DataScope> {
    return this.scopes.resolve(user);
  }

  async list(user: AuthenticatedUser, query: AlertQueryDto): Promise<AlertPageDto> {
    const [raisedAt, id] = query.cursor ? ALERT_CURSOR.decode(query.cursor) : [];
    const after = raisedAt && id ? { raisedAt, id } : undefined;
    if (query.from && query.to && Date.parse(query.from) >= Date.parse(query.to)) {
      throw new RequestValidationException([{ field: 'to', message: 'to must be after from' }]);
    }
    const limit = query.limit ?? 50;
    const rows = await this.alerts.list(await this.scopeOf(user), { ...query, after, limit: limit + 1 });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map(AlertDto.of),
      nextCursor:
        rows.length > limit && last ? ALERT_CURSOR.encode([last.raised_at.toISOString(), last.id]) : null,
    };
  }

  async counts(user: AuthenticatedUser, status?: string): Promise<AlertCountDto[]> {
    return this.alerts.countsByKind(await this.scopeOf(user), status);
  }

  async get(user: AuthenticatedUser, id: string): Promise<AlertDto> {
    const row = isUuid(id) ? await this.alerts.findOne(await this.scopeOf(user), id) : null;
    if (!row) throw new AlertException(AlertExceptionCode.AlertNotFound, `alert ${id} not found`);
    return AlertDto.of(row);
  }

  async acknowledge(user: AuthenticatedUser, id: string): Promise<AlertDto> {
    const current = await this.get(user, id);
    if (current.status !== AlertStatus.Open) return current;
    return this.change(user, id, 'alert.acknowledge', (tx, scope) =>
      this.alerts.acknowledge(tx, scope, id, user.userId),
    );
  }

  async resolve(user: AuthenticatedUser, id: string, outcome: string): Promise<AlertDto> {
    const current = await this.get(user, id);
    if (current.status === AlertStatus.Resolved) {
      throw new AlertException(AlertExceptionCode.AlertAlreadyResolved, `alert ${id} is already resolved`);
    }
    return this.change(user, id, 'alert.resolve', (tx, scope) =>
      this.alerts.resolve(tx, scope, id, user.userId, outcome),
    );
  }

  private async change(
    user: AuthenticatedUser,
    id: string,
    action: string,
    update: (tx: EntityManager, scope: DataScope) => Promise<AlertRow | null>,
  ): Promise<AlertDto> {
    const scope = await this.scopeOf(user);
    const row = await this.dataSource.transaction(async (tx) => {
      const changed = await update(tx, scope);
      if (changed) {
        await this.audit.record(
          {
            actor: user,
            action,
            resourceType: 'alert',
            resourceId: id,
            customerId: changed.customer_id,
            outcome: 'allowed',
          },
          tx,
        );
      }
      return changed;
    });
    // Changed concurrently by someone else: answer with the alert as it now is.
    return row ? AlertDto.of(row) : this.get(user, id);
  }
}
