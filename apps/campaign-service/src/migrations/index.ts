import { changeTriggerMigration } from '@crm/persistence';
import { CampaignTables1795900000000 } from './1795900000000-campaign-tables.migration';
import { OfferDecisions1795900100000 } from './1795900100000-offer-decisions.migration';
import { LobbyTickets1795900400000 } from './1795900400000-lobby-tickets.migration';
import { AnalyticProfiles1796000100000 } from './1796000100000-analytic-profiles.migration';

/** The service's migrations in order (the platform tables migration is prepended by libs/persistence). */
export const CAMPAIGN_MIGRATIONS = [
  CampaignTables1795900000000,
  changeTriggerMigration('institution', 1795900000001),
  changeTriggerMigration('contact_policy', 1795900000002),
  OfferDecisions1795900100000,
  LobbyTickets1795900400000,
  AnalyticProfiles1796000100000,
];
