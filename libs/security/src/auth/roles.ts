/** Role names as they appear in the `roles` claim. WIRE NAMES shared with the identity provider: never rename. */
export const Role = {
  HeadOfficeAdmin: 'head-office-admin',
  InstitutionHead: 'institution-head',
  RelationshipManager: 'relationship-manager',
  LobbyManager: 'lobby-manager',
  Marketing: 'marketing',
  Analyst: 'analyst',
  /** Another bank system calling over REST or gRPC. */
  System: 'system',
} as const;

export type Role = (typeof Role)[keyof typeof Role];

export const ALL_ROLES: readonly Role[] = Object.values(Role);

/** Permission names as they appear in the `perms` claim (wire names). */
export const Permission = {
  /**
   * See ID and phone numbers and full birth dates unmasked, and find customers by ID or phone
   * number; every such read or search is audited.
   */
  PiiRead: 'pii:read',
  /** Set or change ID and phone numbers and birth dates (the fields pii:read reveals). */
  PiiWrite: 'pii:write',
} as const;

export type Permission = (typeof Permission)[keyof typeof Permission];

export const ALL_PERMISSIONS: readonly Permission[] = Object.values(Permission);

export const isRole = (value: unknown): value is Role => ALL_ROLES.includes(value as Role);
export const isPermission = (value: unknown): value is Permission =>
  ALL_PERMISSIONS.includes(value as Permission);
