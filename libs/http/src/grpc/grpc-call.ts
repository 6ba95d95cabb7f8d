import {
  ForbiddenException,
  HttpException,
  INestApplication,
  Logger,
  ServiceUnavailableException,
  UnauthorizedException,
} from '@nestjs/common';
import { MicroserviceOptions, RpcException, Transport } from '@nestjs/microservices';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { Observable } from 'rxjs';
import { Metadata, ServerCredentials, ServerWritableStream, status } from '@grpc/grpc-js';
import { AnyDefinition, PackageDefinition, ServiceDefinition, loadSync } from '@grpc/proto-loader';
import { GrpcServiceConfig } from '@crm/config';
import { AuthenticatedUser, AuthenticationService, Role, hasRole } from '@crm/security';
import { DomainErrorKind, DomainException } from '../domain.exception';
import { rejectHostileInput } from '../request-input.guard';
import { RequestValidationException } from '../request-validation';

const BEARER = /^Bearer\s+(\S+)$/i;

const GRPC_STATUS_BY_KIND: Record<DomainErrorKind, status> = {
  [DomainErrorKind.InvalidInput]: status.INVALID_ARGUMENT,
  [DomainErrorKind.NotFound]: status.NOT_FOUND,
  [DomainErrorKind.Conflict]: status.ALREADY_EXISTS,
  [DomainErrorKind.RuleViolation]: status.FAILED_PRECONDITION,
  [DomainErrorKind.Forbidden]: status.PERMISSION_DENIED,
  [DomainErrorKind.Unavailable]: status.UNAVAILABLE,
};

/**
 * Longest status message sent. It travels in a trailer, and a trailer over HTTP/2's header-list limit never
 * reaches the caller: a message echoing a huge input (an id of 200,000 characters) left the call hanging to
 * its deadline.
 */
const MAX_STATUS_MESSAGE = 1_000;

function rpcError(code: status, message: string): RpcException {
  if (message.length <= MAX_STATUS_MESSAGE) return new RpcException({ code, message });
  // Not between the two halves of a surrogate pair, which could not be encoded.
  const cut = /[\uD800-\uDBFF]/.test(message[MAX_STATUS_MESSAGE - 2])
    ? MAX_STATUS_MESSAGE - 2
    : MAX_STATUS_MESSAGE - 1;
  return new RpcException({ code, message: `${message.slice(0, cut)}…` });
}

/** The one place an error becomes a gRPC status (the HTTP side has ProblemDetailsFilter). */
export function toRpcException(error: unknown): RpcException {
  if (error instanceof RpcException) return error;
  if (error instanceof RequestValidationException)
    return rpcError(status.INVALID_ARGUMENT, error.errors.map((e) => `${e.field}: ${e.message}`).join('; '));
  if (error instanceof DomainException)
    return rpcError(GRPC_STATUS_BY_KIND[error.kind] ?? status.INTERNAL, error.message);
  if (error instanceof UnauthorizedException) return rpcError(status.UNAUTHENTICATED, messageOf(error));
  if (error instanceof ForbiddenException) return rpcError(status.PERMISSION_DENIED, messageOf(error));
  // e.g. the identity provider's keys cannot be fetched: the caller may retry.
  if (error instanceof ServiceUnavailableException) return rpcError(status.UNAVAILABLE, messageOf(error));
  if (error instanceof HttpException && error.getStatus() < 500)
    return rpcError(status.INVALID_ARGUMENT, messageOf(error));
  return rpcError(status.INTERNAL, 'An unexpected error occurred');
}

function messageOf(error: HttpException): string {
  const body = error.getResponse();
  return typeof body === 'object' && body && 'message' in body
    ? String((body as { message: unknown }).message)
    : error.message;
}

/** A request message that did not decode (a wrong wire type, truncated or random bytes). */
export class UndecodableGrpcRequest {
  constructor(readonly reason: string) {}
}

/**
 * Runs one gRPC call as its caller: the HTTP guards cannot read gRPC metadata, so each call
 * authenticates its bearer token here, checks the roles, and maps any error to a gRPC status.
 */
export class GrpcCallRunner {
  private readonly logger = new Logger('GrpcCall');

  constructor(
    private readonly authentication: AuthenticationService,
    private readonly roles: readonly Role[],
  ) {}

  /**
   * `request` is checked as HTTP input is (nesting depth, NUL characters), and refused if it did not
   * decode, before `handle` sees it.
   */
  async run<T>(
    request: object,
    metadata: Metadata,
    handle: (user: AuthenticatedUser) => Promise<T>,
  ): Promise<T> {
    try {
      return await handle(await this.admit(request, metadata));
    } catch (error) {
      throw this.failure(error);
    }
  }

  /**
   * Runs one server-streaming call as its caller, as `run` does a unary one, writing each item
   * `produce` yields. The next item is asked for only once the call has room for it, so the
   * client's flow control reaches the producer and memory stays flat whatever the stream's length;
   * when the client cancels or the deadline passes, the producer is stopped (its `finally` runs).
   * Errors, before or during the stream, end it with a status as `run` maps them.
   */
  stream<T>(
    request: object,
    metadata: Metadata,
    call: ServerWritableStream<unknown, T>,
    produce: (user: AuthenticatedUser) => AsyncIterable<T>,
  ): Observable<T> {
    return new Observable<T>((subscriber) => {
      const ended = new AbortController();
      const write = async () => {
        const items = produce(await this.admit(request, metadata))[Symbol.asyncIterator]();
        try {
          for (let next = await items.next(); !next.done; next = await items.next()) {
            if (ended.signal.aborted) return;
            subscriber.next(next.value);
            if (call.writableNeedDrain) await once(call, 'drain', { signal: ended.signal });
          }
        } finally {
          await items.return?.();
        }
        subscriber.complete();
      };
      write().catch((error) => {
        if (!ended.signal.aborted) subscriber.error(this.failure(error));
      });
      // Unsubscribed when the call is cancelled (by the client or its deadline) or has ended.
      return () => ended.abort();
    });
  }

  private async admit(request: object, metadata: Metadata): Promise<AuthenticatedUser> {
    const [header] = metadata.get('authorization');
    const token = BEARER.exec(typeof header === 'string' ? header : '')?.[1];
    if (!token)
      throw new RpcException({
        code: status.UNAUTHENTICATED,
        message: 'authorization: Bearer <token> is required',
      });
    const user = await this.authentication.authenticateToken(token);
    if (!hasRole(user, ...this.roles))
      throw new RpcException({
        code: status.PERMISSION_DENIED,
        message: `This operation needs one of the roles: ${this.roles.join(', ')}`,
      });
    if (request instanceof UndecodableGrpcRequest)
      throw new RpcException({
        code: status.INVALID_ARGUMENT,
        message: `The request message does not decode: ${request.reason}`,
      });
    rejectHostileInput(request);
    return user;
  }

  private failure(error: unknown): RpcException {
    const rpc = toRpcException(error);
    if ((rpc.getError() as { code?: number }).code === status.INTERNAL)
      this.logger.error({ msg: 'gRPC call failed', err: error });
    return rpc;
  }
}

/** A service's gRPC contract: the package its proto file declares. */
export interface GrpcContract {
  /** The proto package, e.g. `crm.customer.v1`. */
  package: string;
  protoPath: string;
}

export interface GrpcServerOptions extends GrpcContract {
  port: number;
  host?: string;
}

type GrpcTlsSettings = Pick<
  GrpcServiceConfig,
  'GRPC_TLS_CERT_FILE' | 'GRPC_TLS_KEY_FILE' | 'GRPC_TLS_CLIENT_CA_FILE'
>;

/**
 * TLS from the PEM files of the config (mutual TLS when a client CA is set); plaintext when no
 * certificate is set, which GrpcServiceConfig refuses in production unless GRPC_ALLOW_PLAINTEXT.
 */
export function grpcServerCredentials(settings: GrpcTlsSettings): ServerCredentials {
  const { GRPC_TLS_CERT_FILE: cert, GRPC_TLS_KEY_FILE: key, GRPC_TLS_CLIENT_CA_FILE: clientCa } = settings;
  if (!cert || !key) return ServerCredentials.createInsecure();
  return ServerCredentials.createSsl(
    clientCa ? readFileSync(clientCa) : null,
    [{ cert_chain: readFileSync(cert), private_key: readFileSync(key) }],
    clientCa !== undefined,
  );
}

const isService = (definition: AnyDefinition): definition is ServiceDefinition => !('format' in definition);

/**
 * The contract's definitions, with every request decoder made total. grpc-js answers a message that
 * fails to decode with INTERNAL, as if the server had failed, before any handler runs; decoded into
 * an UndecodableGrpcRequest instead, it reaches GrpcCallRunner, which answers INVALID_ARGUMENT.
 */
export function loadGrpcContract(protoPath: string): PackageDefinition {
  const definitions = loadSync(protoPath, {
    keepCase: false,
    longs: String,
    enums: String,
    defaults: false,
    oneofs: true,
  });
  return Object.fromEntries(
    Object.entries(definitions).map(([name, definition]) => [
      name,
      isService(definition)
        ? Object.fromEntries(
            Object.entries(definition).map(([method, { requestDeserialize: decode, ...rest }]) => [
              method,
              {
                ...rest,
                requestDeserialize: (bytes: Buffer) => {
                  try {
                    return decode(bytes);
                  } catch (error) {
                    return new UndecodableGrpcRequest((error as Error).message);
                  }
                },
              },
            ]),
          )
        : definition,
    ]),
  );
}

/**
 * Serves a gRPC contract (libs/contracts/proto) beside HTTP and the Kafka consumer, over TLS as
 * the app's GrpcServiceConfig says.
 */
export function connectGrpcServer(app: INestApplication, options: GrpcServerOptions): void {
  app.connectMicroservice<MicroserviceOptions>(
    {
      transport: Transport.GRPC,
      options: {
        package: options.package,
        packageDefinition: loadGrpcContract(options.protoPath),
        url: `${options.host ?? '0.0.0.0'}:${options.port}`,
        credentials: grpcServerCredentials(app.get(GrpcServiceConfig)),
      },
    },
    { inheritAppConfig: false },
  );
}
