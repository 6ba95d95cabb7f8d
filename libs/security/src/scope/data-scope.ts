import { AuthenticatedUser, hasRole } from '../auth/authenticated-user';
import { Role } from '../auth/roles';

/**
 * Which customers a caller may see. Every query that reads customer data takes one of these as a
 * required argument and turns it into its WHERE clause; nothing is filtered after the fact.
 */
export type DataScope =
  /** Head-office admins and bank systems: the whole bank. */
  | { kind: 'bank' }
  /** Institution heads: customers covered by any institution in their subtree. */
  | { kind: 'institutions'; institutionIds: readonly string[] }
  /** Relationship managers: the customers they cover (primary, secondary or private banker). */
  | { kind: 'manager'; managerId: string; institutionId: string };

export class DataScopeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DataScopeError';
  }
}

/**
 * The widest scope the caller's roles grant. `subtreeOf` returns the institution and all its
 * descendants from the service's own copy of the institution tree.
 */
export async function resolveDataScope(
  user: AuthenticatedUser,
  subtreeOf: (institutionId: string) => Promise<readonly string[]>,
): Promise<DataScope> {
  if (hasRole(user, Role.HeadOfficeAdmin, Role.System)) return { kind: 'bank' };
  if (hasRole(user, Role.InstitutionHead)) {
    const institutionIds = await subtreeOf(user.institutionId);
    if (institutionIds.length === 0) throw new DataScopeError(`institution ${user.institutionId} is unknown`);
    return { kind: 'institutions', institutionIds };
  }
  if (hasRole(user, Role.RelationshipManager) && user.managerId) {
    return { kind: 'manager', managerId: user.managerId, institutionId: user.institutionId };
  }
  throw new DataScopeError('no role of the caller grants access to customer data');
}

/** Who covers one customer: the coverage projection every service keeps from crm.assignment. */
export interface CustomerCoverage {
  primaryInstitutionId: string | null;
  primaryManagerId: string | null;
  secondary: readonly { institutionId: string; managerId: string | null }[];
  privateBankerId: string | null;
}

/** Which of a customer's holdings a caller in scope sees: all of them, or those at some institutions. */
export type HoldingsVisibility =
  { kind: 'all' } | { kind: 'institutions'; institutionIds: readonly string[] } | { kind: 'none' };

/**
 * The primary institution's head (and the primary manager, the private banker, head office) sees
 * the customer's holdings across the bank; a secondary institution's head or manager sees only
 * what the customer holds at that institution (domain.md, customer coverage).
 */
export function holdingsVisibility(scope: DataScope, coverage: CustomerCoverage): HoldingsVisibility {
  switch (scope.kind) {
    case 'bank':
      return { kind: 'all' };
    case 'institutions': {
      const inScope = new Set(scope.institutionIds);
      if (coverage.primaryInstitutionId && inScope.has(coverage.primaryInstitutionId)) return { kind: 'all' };
      const visible = coverage.secondary.map((s) => s.institutionId).filter((id) => inScope.has(id));
      return visible.length > 0
        ? { kind: 'institutions', institutionIds: [...new Set(visible)] }
        : { kind: 'none' };
    }
    case 'manager': {
      if (coverage.primaryManagerId === scope.managerId || coverage.privateBankerId === scope.managerId)
        return { kind: 'all' };
      const visible = coverage.secondary
        .filter((s) => s.managerId === scope.managerId)
        .map((s) => s.institutionId);
      return visible.length > 0
        ? { kind: 'institutions', institutionIds: [...new Set(visible)] }
        : { kind: 'none' };
    }
  }
}
