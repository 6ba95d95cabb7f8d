import { Role } from '@crm/security';

/** Who reads customer data: the roles a data scope exists for. */
export const CUSTOMER_READERS = [
  Role.RelationshipManager,
  Role.InstitutionHead,
  Role.HeadOfficeAdmin,
  Role.System,
];
/** Who maintains tags, consent and prospects: bank staff with a data scope. */
export const CUSTOMER_EDITORS = [Role.RelationshipManager, Role.InstitutionHead, Role.HeadOfficeAdmin];
