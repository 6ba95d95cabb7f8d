import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { MAX_ID_LENGTH } from '@crm/contracts';
import { AuditLogWriter, AuthenticatedUser, DataScopeResolver } from '@crm/security';
import { CampaignException, CampaignExceptionCode } from '../common/campaign.exception';
import { acceptsTargets } from '../campaigns/campaign-lifecycle.rule';
import { AudienceKind } from '../campaigns/campaign.dto';
import { CampaignsService } from '../campaigns/campaigns.service';
import { Arm, armOf } from './control-group.rule';
import {
  MAX_REPORTED_REJECTIONS,
  RejectedTargetDto,
  RejectionReason,
  TargetUploadDto,
  TargetUploadResultDto,
} from './target.dto';
import { TargetRepository, TargetSource } from './target.repository';

// Core-banking ids are short printable codes; whitespace or control characters mean a broken CSV column.
// eslint-disable-next-line no-control-regex
const NOT_IN_AN_ID = /[\s\u0000-\u001f\u007f]/;
const isCustomerId = (id: string): boolean =>
  id.length > 0 && id.length <= MAX_ID_LENGTH && !NOT_IN_AN_ID.test(id);

/** Uploaded target lists: each id checked, each target assigned to treatment or control for good. */
@Injectable()
export class TargetsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly campaigns: CampaignsService,
    private readonly targets: TargetRepository,
    private readonly scopes: DataScopeResolver,
    private readonly audit: AuditLogWriter,
  ) {}

  /**
   * Adds the ids that name customers the owner institution's subtree covers; reports the others by
   * position. Idempotent: an id uploaded twice is listed once, with the same arm.
   */
  async upload(
    user: AuthenticatedUser,
    campaignId: string,
    dto: TargetUploadDto,
  ): Promise<TargetUploadResultDto> {
    return this.dataSource.transaction(async (tx) => {
      const campaign = await this.campaigns.findInScope(tx, user, campaignId, true);
      if (campaign.audience.kind !== AudienceKind.Upload)
        throw new CampaignException(
          CampaignExceptionCode.AudienceMismatch,
          `Campaign ${campaignId} targets by ${campaign.audience.kind}: it takes no uploaded list`,
        );
      if (!acceptsTargets(campaign.status))
        throw new CampaignException(
          CampaignExceptionCode.CampaignNotEditable,
          `Campaign ${campaignId} is ${campaign.status}: its list was fixed when it was approved`,
        );

      const rejected: RejectedTargetDto[] = [];
      const candidates = new Map<string, number>();
      dto.customerIds.forEach((id, index) => {
        if (!isCustomerId(id)) rejected.push({ index, reason: RejectionReason.NotAnId });
        else if (candidates.has(id)) rejected.push({ index, reason: RejectionReason.Duplicate });
        else candidates.set(id, index);
      });
      const ownerScope = await this.scopes.scopeOfInstitution(campaign.owner_institution_id);
      const covered = await this.targets.coveredBy(tx, ownerScope, [...candidates.keys()]);
      for (const [id, index] of candidates)
        if (!covered.has(id)) rejected.push({ index, reason: RejectionReason.OutsideOwnerScope });

      const share = Number(campaign.control_share);
      const accepted = [...covered].map((customerId) => ({
        customerId,
        arm: armOf(campaignId, customerId, share),
      }));
      const added = await this.targets.add(tx, campaignId, TargetSource.Upload, accepted, {
        from: campaign.starts_at,
        until: campaign.ends_at,
      });
      rejected.sort((a, b) => a.index - b.index);
      const result: TargetUploadResultDto = {
        added,
        alreadyListed: accepted.length - added,
        control: accepted.filter((t) => t.arm === Arm.Control).length,
        rejectedCount: rejected.length,
        rejected: rejected.slice(0, MAX_REPORTED_REJECTIONS),
      };
      await this.audit.record(
        {
          actor: user,
          action: 'campaign.targets.upload',
          resourceType: 'campaign',
          resourceId: campaignId,
          outcome: 'allowed',
          details: { submitted: dto.customerIds.length, added, rejected: rejected.length },
        },
        tx,
      );
      return result;
    });
  }
}
