import { Role } from '@crm/security';

/** Who designs, approves, runs and evaluates campaigns: within their institution's subtree, head office bank-wide. */
export const CAMPAIGN_STAFF = [Role.Marketing, Role.InstitutionHead, Role.HeadOfficeAdmin];

/**
 * Who asks for the best offer of a customer in front of them: bank systems (the lobby app, mobile banking),
 * managers and heads for customers in their scope, lobby managers for customers queuing at their outlet.
 */
export const OFFER_DECIDERS = [
  Role.System,
  Role.RelationshipManager,
  Role.LobbyManager,
  Role.InstitutionHead,
  Role.HeadOfficeAdmin,
];
