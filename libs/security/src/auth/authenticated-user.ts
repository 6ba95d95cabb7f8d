import { Permission, Role } from './roles';

/** The caller of one request, built from a verified token. */
export interface AuthenticatedUser {
  /** JWT `sub`. */
  userId: string;
  roles: Role[];
  /** The institution (head office, branch or outlet) the user belongs to: the root of their data scope. */
  institutionId: string;
  /** Set when the user is a relationship manager: their customers are the ones they cover. */
  managerId?: string;
  permissions: Permission[];
  /** For role `system`: the calling bank system (its client id). */
  systemName?: string;
}

export const hasRole = (user: AuthenticatedUser, ...roles: Role[]): boolean =>
  roles.some((r) => user.roles.includes(r));

export const hasPermission = (user: AuthenticatedUser, permission: Permission): boolean =>
  user.permissions.includes(permission);
