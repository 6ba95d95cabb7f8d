import { Controller } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { Metadata } from '@grpc/grpc-js';
import { CoverageChangedPayload, CoveringInstitution } from '@crm/contracts';
import { GrpcCallRunner, RequestValidationException } from '@crm/http';
import { AuthenticationService, Public, Role } from '@crm/security';
import { CoverageQueryService } from '../coverage/coverage-query.service';
import { MAX_PAGE } from '../organisation/organisation.dto';

const READERS = [Role.HeadOfficeAdmin, Role.InstitutionHead, Role.RelationshipManager, Role.System];
const DEFAULT_PAGE = 50;

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
  private readonly grpc: GrpcCallRunner;

  constructor(
    authentication: AuthenticationService,
    private readonly queries: CoverageQueryService,
  ) {
    this.grpc = new GrpcCallRunner(authentication, READERS);
  }

  @GrpcMethod('AssignmentService', 'GetCoverage')
  getCoverage(request: { customerId?: string }, metadata: Metadata) {
    return this.grpc.run(request, metadata, async (user) =>
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
    return this.grpc.run(request, metadata, async (user) => {
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
}
