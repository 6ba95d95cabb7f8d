import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AlertRaisedPayload } from '@crm/contracts';
import { DataScopeResolver } from '@crm/security';
import { CampaignServiceConfig } from '../app.config';
import { CampaignRepository } from '../campaigns/campaign.repository';
import { armOf } from '../targets/control-group.rule';
import { TargetRepository, TargetSource } from '../targets/target.repository';

/**
 * Event-triggered campaigns (事件式营销): an alert of a kind a running campaign listens for (a large
 * inflow, a maturing deposit) makes the customer its target, due within minutes; the dispatcher then
 * contacts them under the same contact policy as every other contact, or suppresses them with the reason.
 */
@Injectable()
export class EventTriggersService {
  constructor(
    private readonly campaigns: CampaignRepository,
    private readonly targets: TargetRepository,
    private readonly scopes: DataScopeResolver,
    private readonly config: CampaignServiceConfig,
  ) {}

  /**
   * Adds the alert's customer to each running campaign triggered by its kind whose owner institution's
   * subtree covers them, in treatment or control as for any target; once per campaign and customer, so a
   * second alert (or a replay) changes nothing. How many campaigns took the customer on.
   */
  async alertRaised(tx: EntityManager, alert: AlertRaisedPayload, now = Date.now()): Promise<number> {
    const triggered = await this.campaigns.runningTriggeredBy(tx, alert.kind, new Date(now).toISOString());
    const due = new Date(now + this.config.TRIGGERED_CONTACT_DELAY_MS);
    let added = 0;
    for (const campaign of triggered) {
      // An alert raised before the campaign began (a backlog consumed late) is not its trigger.
      if (Date.parse(alert.raisedAt) < campaign.starts_at.getTime()) continue;
      const ownerScope = await this.scopes.scopeOfInstitution(campaign.owner_institution_id);
      const covered = await this.targets.coveredBy(tx, ownerScope, [alert.customerId]);
      if (!covered.has(alert.customerId)) continue;
      const arm = armOf(campaign.campaign_id, alert.customerId, Number(campaign.control_share));
      added += await this.targets.add(
        tx,
        campaign.campaign_id,
        TargetSource.Event,
        [{ customerId: alert.customerId, arm }],
        { from: due, until: due },
      );
    }
    return added;
  }
}
