import { accessDenied, outsideDataScope } from '../auth/auth-error';
import { AuthenticatedUser, hasRole } from '../auth/authenticated-user';
import { Role } from '../auth/roles';

declare const resolvedFromCaller: unique symbol;

/** Made only by resolving a verified caller, so a repository cannot be handed a scope someone wrote by hand. */
type Resolved<T> = T & { readonly [resolvedFromCaller]: true };

/**
 * Which customers a caller may see. Every repository method that reads customer data takes one as a
 * required argument and turns it into its WHERE clause (scopePredicate); nothing is filtered after
 * the fact.
 */
export type DataScope =
  /** Head-office admins and bank systems: the whole bank. */
  | Resolved<{ kind: 'bank' }>
  /** Institution heads and marketing staff: customers covered by any institution in their subtree. */
  | Resolved<{ kind: 'institutions'; institutionIds: readonly string[] }>
  /** Relationship managers: the customers they cover (primary, secondary or private banker). */
  | Resolved<{ kind: 'manager'; managerId: string; institutionId: string }>;

type Unresolved<S> = S extends Resolved<infer T> ? T : never;
const resolved = <S extends Unresolved<DataScope>>(scope: S) => scope as unknown as DataScope;

/**
 * The widest scope the caller's roles grant. `subtreeOf` returns the institution and all its
 * descendants (empty when the institution is unknown). Throws a 403 (OUTSIDE_DATA_SCOPE) when no role
 * of the caller grants customer data.
 */
export async function resolveDataScope(
  user: AuthenticatedUser,
  subtreeOf: (institutionId: string) => Promise<readonly string[]>,
): Promise<DataScope> {
  if (hasRole(user, Role.HeadOfficeAdmin, Role.System)) return resolved({ kind: 'bank' });
  if (hasRole(user, Role.InstitutionHead, Role.Marketing)) {
    const institutionIds = await subtreeOf(user.institutionId);
    if (institutionIds.length === 0) throw outsideDataScope(`institution ${user.institutionId} is unknown`);
    return resolved({ kind: 'institutions', institutionIds });
  }
  const asManager = managerScopeOf(user);
  if (asManager) return asManager;
  throw outsideDataScope('no role of the caller grants access to customer data');
}

/**
 * The scope of one institution's subtree for a caller acting for that institution: a bank system only
 * (campaign-service reading a campaign's targets in the scope of the institution that owns it). Anyone
 * else gets a 403, as does an unknown institution.
 */
export async function resolveScopeOfInstitution(
  user: AuthenticatedUser,
  institutionId: string,
  subtreeOf: (institutionId: string) => Promise<readonly string[]>,
): Promise<DataScope> {
  if (!hasRole(user, Role.System))
    throw accessDenied(`only a bank system (role ${Role.System}) may act for institution ${institutionId}`);
  return institutionScopeOf(institutionId, await subtreeOf(institutionId));
}

/**
 * The caller's scope as a relationship manager alone (their own customers), whatever other roles
 * they hold: for acts a manager does in person, such as recording a visit. Null for a non-manager.
 */
export function managerScopeOf(user: AuthenticatedUser): DataScope | null {
  if (!hasRole(user, Role.RelationshipManager) || !user.managerId) return null;
  return resolved({ kind: 'manager', managerId: user.managerId, institutionId: user.institutionId });
}

/**
 * The customers an institution's subtree covers, for acts done on its behalf rather than a caller's (the
 * audience of a campaign it owns). `subtree` is the institution and its descendants, as the resolver gives it.
 */
export function institutionScopeOf(institutionId: string, subtree: readonly string[]): DataScope {
  if (subtree.length === 0) throw outsideDataScope(`institution ${institutionId} is unknown`);
  return resolved({ kind: 'institutions', institutionIds: subtree });
}

/**
 * For acts on an institution itself (its parameters, assigning its managers): head office acts on any,
 * an institution head on those of their subtree; anyone else gets a 403 (OUTSIDE_DATA_SCOPE).
 */
export function assertInstitutionInScope(scope: DataScope, institutionId: string): void {
  if (scope.kind === 'bank') return;
  if (scope.kind === 'institutions' && scope.institutionIds.includes(institutionId)) return;
  throw outsideDataScope(`institution ${institutionId} is outside the caller's data scope`);
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
