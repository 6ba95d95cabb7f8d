import { join } from 'node:path';
import { Controller, ForbiddenException, HttpException, Logger, UnauthorizedException } from '@nestjs/common';
import { GrpcMethod, RpcException } from '@nestjs/microservices';
import { Metadata, status } from '@grpc/grpc-js';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import {
  DomainErrorKind,
  DomainException,
  RequestValidationException,
  flattenValidationErrors,
} from '@crm/http';
import { AuthenticatedUser, AuthenticationService, Public, hasRole } from '@crm/security';
import { Customer360Dto, CustomerProfileDto } from '../customers/customer-360.dto';
import { CustomerService } from '../customers/customer.service';
import { CustomerSearchRequestDto } from '../search/search-filter.dto';
import { SearchService } from '../search/search.service';
import { CUSTOMER_READERS } from '../shared/customer-roles';

/** The contract in libs/contracts (sources run as they are, so the path holds in images too). */
export const CUSTOMER_PROTO_PATH = join(
  __dirname,
  '..',
  '..',
  '..',
  '..',
  'libs',
  'contracts',
  'proto',
  'customer.proto',
);
export const CUSTOMER_PROTO_PACKAGE = 'crm.customer.v1';
export const MAX_BATCH = 100;

const BEARER = /^Bearer\s+(\S+)$/i;

interface AmountRange {
  min?: string;
  max?: string;
}

export interface SearchCustomersRequest {
  kind?: string;
  regionCodes?: string[];
  aum?: AmountRange;
  depositBalance?: AmountRange;
  loanBalance?: AmountRange;
  holdsProductKinds?: string[];
  tags?: string[];
  institutionId?: string;
  managerId?: string;
  idNumber?: string;
  phone?: string;
  pageSize?: number;
  cursor?: string;
}

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
  if (error instanceof RequestValidationException) {
    return new RpcException({
      code: status.INVALID_ARGUMENT,
      message: error.errors.map((e) => `${e.field}: ${e.message}`).join('; '),
    });
  }
  if (error instanceof DomainException) {
    return new RpcException({
      code: GRPC_STATUS_BY_KIND[error.kind] ?? status.INTERNAL,
      message: error.message,
    });
  }
  if (error instanceof UnauthorizedException)
    return new RpcException({ code: status.UNAUTHENTICATED, message: messageOf(error) });
  if (error instanceof ForbiddenException)
    return new RpcException({ code: status.PERMISSION_DENIED, message: messageOf(error) });
  if (error instanceof HttpException && error.getStatus() < 500) {
    return new RpcException({ code: status.INVALID_ARGUMENT, message: messageOf(error) });
  }
  return new RpcException({ code: status.INTERNAL, message: 'An unexpected error occurred' });
}

function messageOf(error: HttpException): string {
  const body = error.getResponse();
  return typeof body === 'object' && body && 'message' in body
    ? String((body as { message: unknown }).message)
    : error.message;
}

/**
 * gRPC entry points for other bank systems. Public to the HTTP guards (they cannot read gRPC
 * metadata); each call authenticates its own bearer token and applies the same roles and scope.
 */
@Public()
@Controller()
export class CustomerGrpcController {
  private readonly logger = new Logger(CustomerGrpcController.name);

  constructor(
    private readonly authentication: AuthenticationService,
    private readonly customers: CustomerService,
    private readonly search: SearchService,
  ) {}

  @GrpcMethod('CustomerService', 'GetCustomer')
  getCustomer(request: { customerId?: string }, metadata: Metadata) {
    return this.call(metadata, async (user) => {
      const id = request.customerId ?? '';
      if (id.length === 0 || id.length > 64) throw invalid('customer_id', 'must be 1 to 64 characters');
      return toGrpcCustomer(await this.customers.view360(user, id));
    });
  }

  @GrpcMethod('CustomerService', 'BatchGetCustomers')
  batchGetCustomers(request: { customerIds?: string[] }, metadata: Metadata) {
    return this.call(metadata, async (user) => {
      const ids = [...new Set(request.customerIds ?? [])];
      if (ids.length === 0 || ids.length > MAX_BATCH)
        throw invalid('customer_ids', `must hold 1 to ${MAX_BATCH} ids`);
      if (ids.some((id) => id.length === 0 || id.length > 64))
        throw invalid('customer_ids', 'each id must be 1 to 64 characters');
      const profiles = await this.customers.profiles(user, ids);
      const found = new Set(profiles.map((p) => p.id));
      return {
        customers: profiles.map((profile) => ({ profile: toGrpcProfile(profile) })),
        notFoundIds: ids.filter((id) => !found.has(id)),
      };
    });
  }

  @GrpcMethod('CustomerService', 'SearchCustomers')
  searchCustomers(request: SearchCustomersRequest, metadata: Metadata) {
    return this.call(metadata, async (user) => {
      const body = plainToInstance(CustomerSearchRequestDto, {
        filter: {
          kind: request.kind,
          regionCodes: nonEmpty(request.regionCodes),
          aum: request.aum,
          depositBalance: request.depositBalance,
          loanBalance: request.loanBalance,
          holds: nonEmpty(request.holdsProductKinds) && { productKinds: request.holdsProductKinds },
          tags: nonEmpty(request.tags),
          coverage:
            request.institutionId !== undefined || request.managerId !== undefined
              ? { institutionId: request.institutionId, managerId: request.managerId }
              : undefined,
          idNumber: request.idNumber,
          phone: request.phone,
        },
        pageSize: request.pageSize,
        cursor: request.cursor,
      });
      const errors = await validate(body, { whitelist: true, forbidUnknownValues: false });
      if (errors.length > 0) throw new RequestValidationException(flattenValidationErrors(errors));
      const page = await this.search.search(user, body.filter ?? {}, body.pageSize, body.cursor);
      return {
        items: page.items.map((item) => ({
          id: item.id,
          kind: item.kind,
          name: item.name,
          regionCode: item.regionCode,
          primaryInstitutionId: item.primaryInstitutionId ?? undefined,
          primaryManagerId: item.primaryManagerId ?? undefined,
          aum: item.aum,
          deposits: item.deposits,
          loans: item.loans,
          cards: item.cards,
          idNumber: item.idNumber ?? undefined,
          phone: item.phone,
        })),
        nextCursor: page.nextCursor ?? undefined,
      };
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
      if (!hasRole(user, ...CUSTOMER_READERS)) {
        throw new RpcException({
          code: status.PERMISSION_DENIED,
          message: `This operation needs one of the roles: ${CUSTOMER_READERS.join(', ')}`,
        });
      }
      return await handle(user);
    } catch (error) {
      const rpc = toRpcException(error);
      if ((rpc.getError() as { code?: number }).code === status.INTERNAL) {
        this.logger.error({ msg: 'gRPC call failed', err: error });
      }
      throw rpc;
    }
  }
}

const invalid = (field: string, message: string) => new RequestValidationException([{ field, message }]);

const nonEmpty = <T>(values: T[] | undefined): T[] | undefined =>
  values && values.length > 0 ? values : undefined;

function toGrpcProfile(p: CustomerProfileDto) {
  return {
    id: p.id,
    kind: p.kind,
    name: p.name,
    gender: p.gender ?? undefined,
    birthDate: p.birthDate ?? undefined,
    age: p.age ?? undefined,
    regionCode: p.regionCode,
    homeInstitutionId: p.homeInstitutionId,
    idNumber: p.idNumber ?? undefined,
    phone: p.phone ?? undefined,
    valueTier: p.valueTier ?? undefined,
    lifecycleStage: p.lifecycleStage ?? undefined,
  };
}

function toGrpcCustomer(view: Customer360Dto) {
  const cov = view.coverage;
  return {
    profile: toGrpcProfile(view.profile),
    coverage: {
      primary: cov.primary
        ? { institutionId: cov.primary.institutionId, managerId: cov.primary.managerId ?? undefined }
        : undefined,
      secondary: cov.secondary.map((s) => ({
        institutionId: s.institutionId,
        managerId: s.managerId ?? undefined,
      })),
      keyCustomer: cov.keyCustomer,
      privateBankerId: cov.privateBankerId ?? undefined,
    },
    holdings: {
      ...view.holdings.totals,
      currency: 'CNY',
      visibility: view.holdings.visibility,
      visibleInstitutionIds: view.holdings.visibleInstitutionIds ?? [],
    },
  };
}
