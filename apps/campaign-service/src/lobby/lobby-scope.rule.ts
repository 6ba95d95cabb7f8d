import { AuthenticatedUser, Role, hasRole, outsideDataScope } from '@crm/security';

/**
 * The outlets whose lobby a caller watches: a lobby manager's own outlet (their token's institution), an
 * institution head's whole subtree. Where the ticket was taken decides, not who covers the customer.
 */
export interface LobbyScope {
  readonly outletIds: readonly string[];
}

/** `subtreeOf` gives the institution and its descendants (empty when unknown). */
export async function lobbyScopeOf(
  user: AuthenticatedUser,
  subtreeOf: (institutionId: string) => Promise<readonly string[]>,
): Promise<LobbyScope> {
  const outlets = new Set<string>();
  if (hasRole(user, Role.LobbyManager)) outlets.add(user.institutionId);
  if (hasRole(user, Role.InstitutionHead))
    for (const id of await subtreeOf(user.institutionId)) outlets.add(id);
  if (outlets.size === 0)
    throw outsideDataScope(
      `institution ${user.institutionId} is unknown, or no role of the caller watches a lobby`,
    );
  return { outletIds: [...outlets] };
}
