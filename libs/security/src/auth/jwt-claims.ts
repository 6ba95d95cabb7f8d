import { AuthenticatedUser } from './authenticated-user';
import { ALL_ROLES, Permission, Role, isPermission, isRole } from './roles';

/** The claims this system reads from an access token (beside iss, aud, exp, iat). */
export interface AccessTokenClaims {
  sub: string;
  roles: Role[];
  /** The user's institution id. */
  inst: string;
  /** The user's relationship-manager id, for role relationship-manager. */
  mgr?: string;
  perms?: Permission[];
}

export class InvalidClaimsError extends Error {
  override name = 'InvalidClaimsError';
}

const nonEmptyString = (value: unknown): value is string =>
  typeof value === 'string' && value.trim().length > 0;

/**
 * Builds the current user from verified claims. Roles and permissions this system does not know
 * are ignored (the bank's identity provider may issue more); a token with none of ours is refused.
 */
export function userFromClaims(claims: Record<string, unknown>): AuthenticatedUser {
  if (!nonEmptyString(claims.sub)) throw new InvalidClaimsError('sub is missing');
  if (typeof claims.exp !== 'number') throw new InvalidClaimsError('exp is missing: tokens must expire');
  if (!Array.isArray(claims.roles)) throw new InvalidClaimsError('roles is not a list');
  const roles = claims.roles.filter(isRole);
  if (roles.length === 0) throw new InvalidClaimsError(`roles holds none of ${ALL_ROLES.join(', ')}`);
  if (!nonEmptyString(claims.inst)) throw new InvalidClaimsError('inst (institution id) is missing');
  if (claims.mgr !== undefined && !nonEmptyString(claims.mgr))
    throw new InvalidClaimsError('mgr is not a string');
  if (roles.includes(Role.RelationshipManager) && claims.mgr === undefined) {
    throw new InvalidClaimsError('mgr (manager id) is required for a relationship manager');
  }
  if (claims.perms !== undefined && !Array.isArray(claims.perms))
    throw new InvalidClaimsError('perms is not a list');
  const permissions = ((claims.perms as unknown[] | undefined) ?? []).filter(isPermission);

  return {
    userId: claims.sub,
    roles,
    institutionId: claims.inst,
    ...(claims.mgr !== undefined ? { managerId: claims.mgr as string } : {}),
    permissions,
    ...(roles.includes(Role.System) ? { systemName: claims.sub } : {}),
  };
}
