import { join } from 'node:path';
import { Controller, ForbiddenException, HttpException, Logger, UnauthorizedException } from '@nestjs/common';
import { GrpcMethod, RpcException } from '@nestjs/microservices';
import { Metadata, status } from '@grpc/grpc-js';
import { CoverageChangedPayload, CoveringInstitution } from '@crm/contracts';
import { DomainErrorKind, DomainException, RequestValidationException } from '@crm/http';
import { AuthenticatedUser, AuthenticationService, Public, Role, hasRole } from '@crm/security';
import { CoverageQueryService } from '../coverage/coverage-query.service';
import { MAX_PAGE } from '../organisation/organisation.dto';

/** The contract in libs/contracts (sources run as they are, so the path holds in images too). */
export const ASSIGNMENT_PROTO_PATH = join(
  __dirname,
  '..',
  '..',
  '..',
  '..',
  'libs',
  'contracts',
  'proto',
  'assignment.proto',
);
export const ASSIGNMENT_PROTO_PACKAGE = 'crm.assignment.v1';

const READERS = [Role.HeadOfficeAdmin, Role.InstitutionHead, Role.RelationshipManager, Role.System];
const DEFAULT_PAGE = 50;
const BEARER = /^Bearer\s+(\S+)$/i;

const GRPC_STATUS_BY_KIND: Record<DomainErrorKind, status> = {
  [DomainErrorKind.InvalidInput]: status.INVALID_ARGUMENT,
  [DomainErrorKind.NotFound]: status.NOT_FOUND,
  [DomainErrorKind.Conflict]: status.ALREADY_EXISTS,
  [DomainErrorKind.RuleViolation]: status.FAILED_PRECONDITION,
  [DomainErrorKind.Forbidden]: status.PERMISSION_DENIED,
  [DomainErrorKind.Unavailable]: status.UNAVAILABLE,
};

/** The one place an error becomes a gRPC status (the HTTP side has ProblemDetailsFilter). */
export function toRpcException(error: unknown): RpcException {
  if (error instanceof RpcException) return error;
  if (error instanceof RequestValidationException)
    return new RpcException({
      code: status.INVALID_ARGUMENT,
      message: error.errors.map((e) => `${e.field}: ${e.message}`).join('; '),
    });
  if (error instanceof DomainException)
    return new RpcException({
      code: GRPC_STATUS_BY_KIND[error.kind] ?? status.INTERNAL,
      message: error.message,
    });
  if (error instanceof UnauthorizedException)
    return new RpcException({ code: status.UNAUTHENTICATED, message: error.message });
  if (error instanceof ForbiddenException)
    return new RpcException({ code: status.PERMISSION_DENIED, message: error.message });
  if (error instanceof HttpException && error.getStatus() < 500)
    return new RpcException({ code: status.INVALID_ARGUMENT, message: error.message });
  return new RpcException({ code: status.INTERNAL, message: 'An unexpected error occurred' });
}

const invalid = (field: string, message: string) => new RequestValidationException([{ field, message }]);

const checkId = (field: string, id: string | undefined): string => {
  if (!id || id.length > 64 || id.includes('\u0000')) throw invalid(field, 'must be 1 to 64 characters');
  return id;
};

const toGrpcEntry = (c: CoveringInstitution) => ({
  institutionId: c.institutionId,
  managerId: c.managerId ?? undefined,
  reason: c.reason,
  basis: c.basis,
});

const toGrpcCoverage = (c: CoverageChangedPayload) => ({
  customerId: c.customerId,
  version: c.version,
  primary: c.primary ? toGrpcEntry(c.primary) : undefined,
  secondary: c.secondary.map(toGrpcEntry),
  keyCustomer: c.keyCustomer,
  privateBankerId: c.privateBankerId ?? undefined,
  changedAt: c.changedAt,
  changedBy: c.changedBy,
  note: c.note,
});

/**
 * gRPC coverage lookup for other bank systems. Public to the HTTP guards (they cannot read gRPC metadata);
 * each call authenticates its own bearer token and applies the same roles and data scope as REST.
 */
@Public()
@Controller()
export class AssignmentGrpcController {
  private readonly logger = new Logger(AssignmentGrpcController.name);

  constructor(
    private readonly authentication: AuthenticationService,
    private readonly queries: CoverageQueryService,
  ) {}

  @GrpcMethod('AssignmentService', 'GetCoverage')
  getCoverage(request: { customerId?: string }, metadata: Metadata) {
    return this.call(metadata, async (user) =>
      toGrpcCoverage(await this.queries.coverageOf(user, checkId('customer_id', request.customerId))),
    );
  }

  @GrpcMethod('AssignmentService', 'ListCoveredCustomers')
  listCoveredCustomers(
    request: {
      managerId?: string;
      institutionId?: string;
      subtree?: boolean;
      pageSize?: number;
      cursor?: string;
    },
    metadata: Metadata,
  ) {
    return this.call(metadata, async (user) => {
      const pageSize = request.pageSize || DEFAULT_PAGE;
      if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE)
        throw invalid('page_size', `must be 1 to ${MAX_PAGE}`);
      if ((request.managerId === undefined) === (request.institutionId === undefined))
        throw invalid('coverer', 'give exactly one of manager_id and institution_id');
      const page =
        request.managerId !== undefined
          ? await this.queries.customersOfManager(
              user,
              checkId('manager_id', request.managerId),
              pageSize,
              request.cursor,
            )
          : await this.queries.customersOfInstitution(
              user,
              checkId('institution_id', request.institutionId),
              request.subtree ?? false,
              pageSize,
              request.cursor,
            );
      return { items: page.items.map(toGrpcCoverage), nextCursor: page.nextCursor ?? undefined };
    });
  }

  private async call<T>(metadata: Metadata, handle: (user: AuthenticatedUser) => Promise<T>): Promise<T> {
    try {
      const [header] = metadata.get('authorization');
      const token = BEARER.exec(typeof header === 'string' ? header : '')?.[1];
      if (!token)
        throw new RpcException({
          code: status.UNAUTHENTICATED,
          message: 'authorization: Bearer <token> is required',
        });
      const user = await this.authentication.authenticateToken(token);
      if (!hasRole(user, ...READERS))
        throw new RpcException({
          code: status.PERMISSION_DENIED,
          message: `This operation needs one of the roles: ${READERS.join(', ')}`,
        });
      return await handle(user);
    } catch (error) {
      const rpc = toRpcException(error);
      if ((rpc.getError() as { code?: number }).code === status.INTERNAL)
        this.logger.error({ msg: 'gRPC call failed', err: error });
      throw rpc;
    }
  }
}
