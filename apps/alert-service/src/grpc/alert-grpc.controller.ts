import { Controller } from '@nestjs/common';
import { GrpcMethod, RpcException } from '@nestjs/microservices';
import { Metadata, ServerWritableStream, status } from '@grpc/grpc-js';
import { filter } from 'rxjs';
import { GrpcCallRunner, boundedFeed, validatedInput } from '@crm/http';
import { AuthenticatedUser, AuthenticationService, Public } from '@crm/security';
import { ALERT_READERS } from '../common/alert-roles';
import { AlertDto, AlertQueryDto, ResolveAlertDto, WatchAlertsDto } from '../alerts/alert.dto';
import { AlertInboxService } from '../alerts/alert-inbox.service';
import { AlertStreamService } from '../alerts/alert-stream.service';

/** New alerts a watcher may fall behind by before its call is ended: a few minutes of a busy bank's alerts. */
const WATCH_BACKLOG = 1_000;

interface ListAlertsRequest {
  kind?: string;
  status?: string;
  customerId?: string;
  from?: string;
  to?: string;
  cursor?: string;
  limit?: number;
}

/** An alert as alert.proto carries it: absent where REST says null. */
type GrpcAlert = { [K in keyof AlertDto]: Exclude<AlertDto[K], null> | undefined };

const toGrpcAlert = (alert: AlertDto): GrpcAlert =>
  Object.fromEntries(Object.entries(alert).filter(([, value]) => value !== null)) as GrpcAlert;

/**
 * The alert inbox over gRPC for bank systems (a teller or mobile-banking workbench, a case system), in the
 * caller's scope as over REST. Public to the HTTP guards (they cannot read gRPC metadata); each call
 * authenticates its bearer token and is checked by the REST DTOs.
 */
@Public()
@Controller()
export class AlertGrpcController {
  private readonly grpc: GrpcCallRunner;

  constructor(
    authentication: AuthenticationService,
    private readonly inbox: AlertInboxService,
    private readonly stream: AlertStreamService,
  ) {
    this.grpc = new GrpcCallRunner(authentication, ALERT_READERS);
  }

  @GrpcMethod('AlertService', 'ListAlerts')
  listAlerts(request: ListAlertsRequest, metadata: Metadata) {
    return this.grpc.run(request, metadata, async (user) => {
      // Field by field: the decoded message also carries proto3's synthetic `_field` oneofs.
      const { kind, status, customerId, from, to, cursor, limit } = request;
      const query = await validatedInput(AlertQueryDto, {
        kind,
        status,
        customerId,
        from,
        to,
        cursor,
        limit,
      });
      const page = await this.inbox.list(user, query);
      return { items: page.items.map(toGrpcAlert), nextCursor: page.nextCursor ?? undefined };
    });
  }

  @GrpcMethod('AlertService', 'GetAlert')
  getAlert(request: { alertId?: string }, metadata: Metadata) {
    return this.grpc.run(request, metadata, async (user) =>
      toGrpcAlert(await this.inbox.get(user, request.alertId ?? '')),
    );
  }

  @GrpcMethod('AlertService', 'AcknowledgeAlert')
  acknowledgeAlert(request: { alertId?: string }, metadata: Metadata) {
    return this.grpc.run(request, metadata, async (user) =>
      toGrpcAlert(await this.inbox.acknowledge(user, request.alertId ?? '')),
    );
  }

  @GrpcMethod('AlertService', 'ResolveAlert')
  resolveAlert(request: { alertId?: string; outcome?: string }, metadata: Metadata) {
    return this.grpc.run(request, metadata, async (user) => {
      const { outcome } = await validatedInput(ResolveAlertDto, { outcome: request.outcome });
      return toGrpcAlert(await this.inbox.resolve(user, request.alertId ?? '', outcome));
    });
  }

  @GrpcMethod('AlertService', 'WatchAlerts')
  watchAlerts(
    request: { kinds?: string[] },
    metadata: Metadata,
    call: ServerWritableStream<{ kinds?: string[] }, GrpcAlert>,
  ) {
    return this.grpc.stream(request, metadata, call, (user) => this.watch(user, request));
  }

  private async *watch(user: AuthenticatedUser, request: { kinds?: string[] }): AsyncGenerator<GrpcAlert> {
    const { kinds } = await validatedInput(WatchAlertsDto, { kinds: request.kinds });
    const wanted = new Set<string>(kinds?.length ? kinds : []);
    const feed = this.stream
      .streamFor(await this.inbox.scopeOf(user))
      .pipe(filter((alert) => wanted.size === 0 || wanted.has(alert.kind)));
    const overflow = () =>
      new RpcException({
        code: status.RESOURCE_EXHAUSTED,
        message: `more than ${WATCH_BACKLOG} new alerts waited for this reader; read them with ListAlerts`,
      });
    for await (const alert of boundedFeed(feed, WATCH_BACKLOG, overflow)) yield toGrpcAlert(alert);
  }
}
