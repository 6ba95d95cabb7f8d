import { Role } from '@crm/security';

/** Who reads and works alerts: managers their own customers', heads their subtree's, head office and bank systems all. */
export const ALERT_READERS = [
  Role.RelationshipManager,
  Role.InstitutionHead,
  Role.HeadOfficeAdmin,
  Role.System,
];
