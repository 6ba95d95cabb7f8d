import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { FieldError, KeysetCursor, RequestValidationException, toPage } from '@crm/http';
import {
  AuditLogWriter,
  AuthenticatedUser,
  CoverageProjectionRepository,
  DataScopeResolver,
  assertInstitutionInScope,
} from '@crm/security';
import { CampaignException, CampaignExceptionCode, campaignNotFound } from '../common/campaign.exception';
import { TargetRepository } from '../targets/target.repository';
import { CampaignAction, CampaignStatus, transition } from './campaign-lifecycle.rule';
import {
  AudienceKind,
  CampaignDraftDto,
  CampaignDto,
  CampaignPageDto,
  CampaignQueryDto,
  CampaignTransitionDto,
  CampaignUpdateDto,
} from './campaign.dto';
import { CampaignDefinition, CampaignRepository, CampaignRow } from './campaign.repository';

const CAMPAIGN_CURSOR = new KeysetCursor('campaigns', ['timestamp', 'key'] as const);
const DEFAULT_CONTROL_SHARE = 0.1;
const DEFAULT_ATTRIBUTION_DAYS = 30;
const ID_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

const newCampaignId = (): string =>
  `CMP-${[...randomBytes(12)].map((b) => ID_ALPHABET[b % ID_ALPHABET.length]).join('')}`;

/** Campaigns and their life: drafted, submitted, approved by a second person, launched, paused, ended. */
@Injectable()
export class CampaignsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly campaigns: CampaignRepository,
    private readonly targets: TargetRepository,
    private readonly coverage: CoverageProjectionRepository,
    private readonly scopes: DataScopeResolver,
    private readonly audit: AuditLogWriter,
  ) {}

  async create(user: AuthenticatedUser, dto: CampaignDraftDto): Promise<CampaignDto> {
    const definition = await this.checkedDefinition(user, dto);
    const campaignId = newCampaignId();
    return this.dataSource.transaction(async (tx) => {
      await this.campaigns.insert(tx, campaignId, definition, user.userId);
      await this.recordAudit(tx, user, 'campaign.create', campaignId, {
        owner: definition.ownerInstitutionId,
      });
      return this.present(
        tx,
        (await this.campaigns.findOne(tx, await this.scopes.resolve(user), campaignId))!,
      );
    });
  }

  async update(user: AuthenticatedUser, campaignId: string, dto: CampaignUpdateDto): Promise<CampaignDto> {
    const definition = await this.checkedDefinition(user, dto);
    return this.dataSource.transaction(async (tx) => {
      const campaign = await this.findInScope(tx, user, campaignId, true);
      if (campaign.status !== CampaignStatus.Draft)
        throw new CampaignException(
          CampaignExceptionCode.CampaignNotEditable,
          `Campaign ${campaignId} is ${campaign.status}: only a draft can be edited`,
        );
      if (!(await this.campaigns.update(tx, campaignId, definition, dto.version)))
        throw changedSince(campaignId);
      await this.recordAudit(tx, user, 'campaign.update', campaignId, {});
      return this.present(tx, (await this.findInScope(tx, user, campaignId))!);
    });
  }

  async get(user: AuthenticatedUser, campaignId: string): Promise<CampaignDto> {
    return this.present(
      this.dataSource.manager,
      await this.findInScope(this.dataSource.manager, user, campaignId),
    );
  }

  async list(user: AuthenticatedUser, query: CampaignQueryDto): Promise<CampaignPageDto> {
    const limit = query.limit ?? 50;
    const rows = await this.campaigns.list(await this.scopes.resolve(user), {
      status: query.status,
      after: query.cursor ? CAMPAIGN_CURSOR.decode(query.cursor) : undefined,
      limit,
    });
    const page = toPage(rows, limit, CAMPAIGN_CURSOR, (r) => [r.created_at.toISOString(), r.campaign_id]);
    return {
      items: page.items.map((r) => ({
        campaignId: r.campaign_id,
        name: r.name,
        ownerInstitutionId: r.owner_institution_id,
        status: r.status,
        priority: r.priority,
        channels: r.channels,
        startsAt: r.starts_at.toISOString(),
        endsAt: r.ends_at.toISOString(),
        createdAt: r.created_at.toISOString(),
      })),
      nextCursor: page.nextCursor,
    };
  }

  /**
   * Takes an action on a campaign. Launching spreads an uploaded list's contacts over the period; a search
   * audience is materialised in the background once the campaign runs (AudienceMaterialiser).
   */
  async act(user: AuthenticatedUser, campaignId: string, dto: CampaignTransitionDto): Promise<CampaignDto> {
    return this.dataSource.transaction(async (tx) => {
      const campaign = await this.findInScope(tx, user, campaignId, true);
      if (campaign.version !== dto.version) throw changedSince(campaignId);
      const verdict = transition(campaign.status, dto.action, user.userId, {
        createdBy: campaign.created_by,
        submittedBy: campaign.submitted_by,
      });
      if (!verdict.allowed) {
        // Outside the transaction, which the refusal rolls back.
        await this.recordAudit(
          this.dataSource.manager,
          user,
          `campaign.${dto.action}`,
          campaignId,
          { refused: verdict.reason },
          'denied',
        );
        throw verdict.reason === 'four-eyes'
          ? new CampaignException(
              CampaignExceptionCode.FourEyesRequired,
              'A campaign is approved by someone who neither wrote nor submitted it',
            )
          : new CampaignException(
              CampaignExceptionCode.TransitionNotAllowed,
              `Cannot ${dto.action} a campaign that is ${campaign.status}`,
            );
      }
      const details: Record<string, unknown> = { from: campaign.status, to: verdict.to };
      if (dto.action === CampaignAction.Launch) Object.assign(details, await this.launch(tx, campaign));
      if (dto.action === CampaignAction.Complete || dto.action === CampaignAction.Cancel)
        await this.targets.closePending(tx, campaignId, `campaign-${verdict.to}`);
      await this.campaigns.setStatus(tx, campaign, verdict.to, user.userId, dto.note ?? null, dto.version);
      await this.recordAudit(tx, user, `campaign.${dto.action}`, campaignId, details);
      return this.present(tx, (await this.findInScope(tx, user, campaignId))!);
    });
  }

  /** The campaign if the caller's scope holds it; otherwise the same 404 as an unknown id. */
  async findInScope(
    tx: EntityManager,
    user: AuthenticatedUser,
    campaignId: string,
    forUpdate = false,
  ): Promise<CampaignRow> {
    const campaign = await this.campaigns.findOne(tx, await this.scopes.resolve(user), campaignId, forUpdate);
    if (!campaign) throw campaignNotFound(campaignId);
    return campaign;
  }

  private async launch(tx: EntityManager, campaign: CampaignRow): Promise<Record<string, unknown>> {
    const now = new Date();
    if (campaign.ends_at <= now)
      throw new CampaignException(
        CampaignExceptionCode.TransitionNotAllowed,
        `Campaign ${campaign.campaign_id} ended at ${campaign.ends_at.toISOString()}: it cannot be launched`,
      );
    const from = campaign.starts_at > now ? campaign.starts_at : now;
    await this.targets.spreadOverPeriod(tx, campaign.campaign_id, { from, until: campaign.ends_at });
    return { audience: campaign.audience.kind };
  }

  /** The definition as stored, after the checks the DTO cannot make alone. */
  private async checkedDefinition(
    user: AuthenticatedUser,
    dto: CampaignDraftDto,
  ): Promise<CampaignDefinition> {
    const errors: FieldError[] = [];
    for (const channel of dto.channels)
      if (!dto.templates[channel])
        errors.push({
          field: `templates.${channel}`,
          message: `templates.${channel} is required: the campaign uses it`,
        });
    if (Date.parse(dto.endsAt) <= Date.parse(dto.startsAt))
      errors.push({ field: 'endsAt', message: 'endsAt must be after startsAt' });
    if (dto.audience.kind === AudienceKind.Search && !dto.audience.filter)
      errors.push({ field: 'audience.filter', message: 'audience.filter is required for a search audience' });
    if (dto.audience.kind === AudienceKind.Event && !dto.audience.alertKinds)
      errors.push({
        field: 'audience.alertKinds',
        message: 'audience.alertKinds is required for an event audience',
      });
    if (errors.length > 0) throw new RequestValidationException(errors);

    assertInstitutionInScope(await this.scopes.resolve(user), dto.ownerInstitutionId);
    if (!(await this.coverage.institutionExists(dto.ownerInstitutionId)))
      throw new CampaignException(
        CampaignExceptionCode.InstitutionUnknown,
        `No institution ${dto.ownerInstitutionId} is known`,
      );
    return {
      name: dto.name,
      objective: dto.objective,
      ownerInstitutionId: dto.ownerInstitutionId,
      productCodes: dto.productCodes,
      channels: dto.channels,
      templates: { ...dto.templates },
      costPerContact: { ...dto.costPerContact },
      conversionValue: dto.conversionValue.amount,
      currency: dto.conversionValue.currency,
      priority: dto.priority,
      controlShare: dto.controlShare ?? DEFAULT_CONTROL_SHARE,
      startsAt: dto.startsAt,
      endsAt: dto.endsAt,
      attributionDays: dto.attributionDays ?? DEFAULT_ATTRIBUTION_DAYS,
      audience: {
        kind: dto.audience.kind,
        ...(dto.audience.filter ? { filter: dto.audience.filter } : {}),
        ...(dto.audience.alertKinds ? { alertKinds: dto.audience.alertKinds } : {}),
      },
    };
  }

  private async present(tx: EntityManager, c: CampaignRow): Promise<CampaignDto> {
    const [history, counts] = await Promise.all([
      this.campaigns.history(tx, c.campaign_id),
      this.campaigns.targetCounts(tx, c.campaign_id),
    ]);
    return {
      campaignId: c.campaign_id,
      name: c.name,
      objective: c.objective,
      ownerInstitutionId: c.owner_institution_id,
      productCodes: c.product_codes,
      channels: c.channels,
      templates: c.templates,
      costPerContact: c.cost_per_contact,
      conversionValue: { amount: c.conversion_value, currency: c.currency },
      priority: c.priority,
      controlShare: Number(c.control_share),
      startsAt: c.starts_at.toISOString(),
      endsAt: c.ends_at.toISOString(),
      attributionDays: c.attribution_days,
      audience: c.audience,
      status: c.status,
      createdBy: c.created_by,
      createdAt: c.created_at.toISOString(),
      submittedBy: c.submitted_by,
      approvedBy: c.approved_by,
      updatedAt: c.updated_at.toISOString(),
      version: c.version,
      audienceSize: c.audience_size,
      audienceReadyAt: c.audience_ready_at?.toISOString() ?? null,
      audienceError: c.audience_error,
      history: history.map((h) => ({
        from: h.from_status,
        to: h.to_status,
        changedBy: h.changed_by,
        changedAt: h.changed_at.toISOString(),
        note: h.note,
      })),
      targets: counts.map((t) => ({
        arm: t.arm,
        pending: t.pending,
        contacted: t.contacted,
        heldBack: t.held_back,
        closed: t.closed,
      })),
    };
  }

  private async recordAudit(
    tx: EntityManager,
    user: AuthenticatedUser,
    action: string,
    campaignId: string,
    details: Record<string, unknown>,
    outcome: 'allowed' | 'denied' = 'allowed',
  ): Promise<void> {
    await this.audit.record(
      { actor: user, action, resourceType: 'campaign', resourceId: campaignId, outcome, details },
      tx,
    );
  }
}

const changedSince = (campaignId: string): CampaignException =>
  new CampaignException(
    CampaignExceptionCode.CampaignChanged,
    `Campaign ${campaignId} changed since it was read: read it again and retry`,
  );
