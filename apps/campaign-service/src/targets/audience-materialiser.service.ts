import { Injectable, Logger } from '@nestjs/common';
import { status } from '@grpc/grpc-js';
import { DataSource } from 'typeorm';
import { CampaignRepository, CampaignRow } from '../campaigns/campaign.repository';
import { armOf } from './control-group.rule';
import { CustomerDirectoryClient, CustomerDirectoryError } from './customer-directory.client';
import { TargetRepository, TargetSource } from './target.repository';

const LEASE_MS = 120_000;
/** After customer-service could not be reached, the next attempt waits this long. */
const RETRY_MS = 30_000;
/** Refusals that another attempt would meet again: the filter itself is wrong, or not allowed. */
const FINAL_CODES = new Set<number>([status.INVALID_ARGUMENT, status.PERMISSION_DENIED, status.NOT_FOUND]);

/**
 * Turns a running campaign's search audience into its target list: customer-service streams the ids the
 * filter matches among the customers the owner institution's subtree covers; each batch is added in its
 * own transaction (treatment or control by hash, due at its place in the period), so any size fits in
 * flat memory, and a crash resumes where the lease lapses (adding is idempotent).
 */
@Injectable()
export class AudienceMaterialiser {
  private readonly logger = new Logger(AudienceMaterialiser.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly campaigns: CampaignRepository,
    private readonly targets: TargetRepository,
    private readonly directory: CustomerDirectoryClient,
  ) {}

  /** Materialises the audiences that wait for it, one campaign at a time; how many it completed. */
  async materialisePending(now = Date.now()): Promise<number> {
    let completed = 0;
    for (let campaign = await this.campaigns.leaseUnmaterialised(new Date(now), LEASE_MS); campaign;) {
      if (await this.materialise(campaign)) completed += 1;
      campaign = await this.campaigns.leaseUnmaterialised(new Date(), LEASE_MS);
    }
    return completed;
  }

  private async materialise(campaign: CampaignRow): Promise<boolean> {
    const share = Number(campaign.control_share);
    const window = {
      from: new Date(Math.max(Date.now(), campaign.starts_at.getTime())),
      until: campaign.ends_at,
    };
    let size = 0;
    try {
      for await (const batch of this.directory.matching(
        campaign.audience.filter ?? {},
        campaign.owner_institution_id,
      )) {
        await this.dataSource.transaction(async (tx) => {
          const targets = batch.map((c) => ({
            customerId: c.id,
            arm: armOf(campaign.campaign_id, c.id, share),
          }));
          await this.targets.add(tx, campaign.campaign_id, TargetSource.Search, targets, window);
          await this.campaigns.renewLease(tx, campaign.campaign_id, new Date(Date.now() + LEASE_MS));
        });
        size += batch.length;
      }
    } catch (error) {
      if (
        error instanceof CustomerDirectoryError &&
        error.code !== undefined &&
        FINAL_CODES.has(error.code)
      ) {
        this.logger.warn(`campaign ${campaign.campaign_id}: audience cannot be made: ${error.message}`);
        await this.campaigns.audienceDone(campaign.campaign_id, { error: error.message });
        return false;
      }
      this.logger.warn(
        `campaign ${campaign.campaign_id}: audience interrupted, retried later: ${(error as Error).message}`,
      );
      await this.campaigns.renewLease(
        this.dataSource.manager,
        campaign.campaign_id,
        new Date(Date.now() + RETRY_MS),
      );
      return false;
    }
    await this.campaigns.audienceDone(campaign.campaign_id, { size });
    this.logger.log(`campaign ${campaign.campaign_id}: audience of ${size} customers materialised`);
    return true;
  }
}
