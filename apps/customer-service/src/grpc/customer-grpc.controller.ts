import { Controller } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { Metadata, ServerWritableStream, status } from '@grpc/grpc-js';
import { RpcException } from '@nestjs/microservices';
import {
  GrpcCallRunner,
  RateLimitName,
  RateLimiter,
  RequestValidationException,
  validatedInput,
} from '@crm/http';
import { AuthenticatedUser, AuthenticationService, Permission, Public, hasPermission } from '@crm/security';
import { Customer360Dto, CustomerProfileDto } from '../customers/customer-360.dto';
import { CustomerService } from '../customers/customer.service';
import {
  CustomerIdStreamRequestDto,
  CustomerSearchRequestDto,
  DEFAULT_ID_BATCH,
} from '../search/search-filter.dto';
import { SearchService } from '../search/search.service';
import { CUSTOMER_READERS } from '../common/customer-roles';

export const MAX_BATCH = 100;

interface AmountRange {
  min?: string;
  max?: string;
}

interface ScoreRange {
  min?: number;
  max?: number;
}

/** The proto's CustomerFilter, and the same fields of SearchCustomersRequest. */
export interface CustomerFilterMessage {
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
  valueTiers?: string[];
  lifecycleStages?: string[];
  churnScore?: ScoreRange;
}

export interface SearchCustomersRequest extends CustomerFilterMessage {
  pageSize?: number;
  cursor?: string;
}

export interface StreamCustomerIdsRequest {
  filter?: CustomerFilterMessage;
  scopeInstitutionId?: string;
  batchSize?: number;
}

export interface CustomerIdBatch {
  customers: { id: string; primaryInstitutionId?: string }[];
}

/**
 * gRPC entry points for other bank systems. Public to the HTTP guards (they cannot read gRPC
 * metadata); each call authenticates its own bearer token and applies the same roles and scope.
 */
@Public()
@Controller()
export class CustomerGrpcController {
  private readonly grpc: GrpcCallRunner;

  constructor(
    authentication: AuthenticationService,
    private readonly customers: CustomerService,
    private readonly search: SearchService,
    private readonly limits: RateLimiter,
  ) {
    this.grpc = new GrpcCallRunner(authentication, CUSTOMER_READERS);
  }

  /** The REST routes' per-principal limits; `reveal` counts only callers who hold pii:read. */
  private async limit(name: RateLimitName, user: AuthenticatedUser): Promise<void> {
    if (name === 'reveal' && !hasPermission(user, Permission.PiiRead)) return;
    const { retryAfterSeconds } = await this.limits.consume(name, user);
    if (retryAfterSeconds !== undefined)
      throw new RpcException({
        code: status.RESOURCE_EXHAUSTED,
        message: `rate limit '${name}' reached; retry after ${retryAfterSeconds} s`,
      });
  }

  @GrpcMethod('CustomerService', 'GetCustomer')
  getCustomer(request: { customerId?: string }, metadata: Metadata) {
    return this.grpc.run(request, metadata, async (user) => {
      const id = request.customerId ?? '';
      if (id.length === 0 || id.length > 64) throw invalid('customer_id', 'must be 1 to 64 characters');
      await this.limit('reveal', user);
      return toGrpcCustomer(await this.customers.view360(user, id));
    });
  }

  @GrpcMethod('CustomerService', 'BatchGetCustomers')
  batchGetCustomers(request: { customerIds?: string[] }, metadata: Metadata) {
    return this.grpc.run(request, metadata, async (user) => {
      const ids = [...new Set(request.customerIds ?? [])];
      if (ids.length === 0 || ids.length > MAX_BATCH)
        throw invalid('customer_ids', `must hold 1 to ${MAX_BATCH} ids`);
      if (ids.some((id) => id.length === 0 || id.length > 64))
        throw invalid('customer_ids', 'each id must be 1 to 64 characters');
      await this.limit('reveal', user);
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
    return this.grpc.run(request, metadata, async (user) => {
      const body = await validatedInput(CustomerSearchRequestDto, {
        filter: searchFilterOf(request),
        pageSize: request.pageSize,
        cursor: request.cursor,
      });
      await this.limit('search', user);
      const page = await this.search.search(user, body.filter ?? {}, body.pageSize, body.cursor, 'grpc');
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

  @GrpcMethod('CustomerService', 'StreamCustomerIds')
  streamCustomerIds(
    request: StreamCustomerIdsRequest,
    metadata: Metadata,
    call: ServerWritableStream<StreamCustomerIdsRequest, CustomerIdBatch>,
  ) {
    return this.grpc.stream(request, metadata, call, (user) => this.customerIds(user, request));
  }

  private async *customerIds(
    user: AuthenticatedUser,
    request: StreamCustomerIdsRequest,
  ): AsyncGenerator<CustomerIdBatch> {
    const body = await validatedInput(CustomerIdStreamRequestDto, {
      filter: searchFilterOf(request.filter ?? {}),
      batchSize: request.batchSize,
      scopeInstitutionId: request.scopeInstitutionId,
    });
    await this.limit('search', user);
    const batches = this.search.streamIds(user, body.filter ?? {}, {
      batchSize: body.batchSize ?? DEFAULT_ID_BATCH,
      scopeInstitutionId: body.scopeInstitutionId,
    });
    for await (const rows of batches) {
      yield {
        customers: rows.map((row) => ({
          id: row.id,
          primaryInstitutionId: row.primary_institution_id ?? undefined,
        })),
      };
    }
  }
}

/** The proto filter in the REST filter's shape, so both are validated and searched alike. */
function searchFilterOf(message: CustomerFilterMessage) {
  return {
    kind: message.kind,
    regionCodes: nonEmpty(message.regionCodes),
    aum: rangeOf(message.aum),
    depositBalance: rangeOf(message.depositBalance),
    loanBalance: rangeOf(message.loanBalance),
    holds: nonEmpty(message.holdsProductKinds) && { productKinds: message.holdsProductKinds },
    tags: nonEmpty(message.tags),
    coverage:
      message.institutionId !== undefined || message.managerId !== undefined
        ? { institutionId: message.institutionId, managerId: message.managerId }
        : undefined,
    idNumber: message.idNumber,
    phone: message.phone,
    valueTiers: nonEmpty(message.valueTiers),
    lifecycleStages: nonEmpty(message.lifecycleStages),
    churnScore: rangeOf(message.churnScore),
  };
}

/** The bounds alone: a decoded message also carries its optional fields' synthetic oneofs (`_min`). */
const rangeOf = <T>(range: { min?: T; max?: T } | undefined) => range && { min: range.min, max: range.max };

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
