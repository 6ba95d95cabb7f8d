import { Role } from '@crm/security';

/** Who reads customers' figures and profiles, each in their data scope (analysts see no customer data). */
export const FIGURE_READERS: readonly Role[] = [
  Role.HeadOfficeAdmin,
  Role.InstitutionHead,
  Role.RelationshipManager,
  Role.Marketing,
  Role.System,
];
