import { Role } from '@crm/security';

/** Who designs, approves, runs and evaluates campaigns: within their institution's subtree, head office bank-wide. */
export const CAMPAIGN_STAFF = [Role.Marketing, Role.InstitutionHead, Role.HeadOfficeAdmin];
