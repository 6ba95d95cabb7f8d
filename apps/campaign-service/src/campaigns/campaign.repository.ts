import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { MarketingChannel } from '@crm/contracts';
import { SqlParams, schemaOf } from '@crm/persistence';
import { DataScope, ScopeColumns, scopePredicate } from '@crm/security';
import { Arm } from '../targets/control-group.rule';
import { CampaignStatus } from './campaign-lifecycle.rule';
import { AudienceDto, AudienceKind } from './campaign.dto';

/** A campaign is seen by its owner institution's subtree (and head office). */
export const CAMPAIGN_SCOPE: ScopeColumns = { institutions: ['c.owner_institution_id'], managers: [] };

export interface CampaignRow {
  campaign_id: string;
  name: string;
  objective: string;
  owner_institution_id: string;
  product_codes: string[];
  channels: MarketingChannel[];
  templates: Partial<Record<MarketingChannel, string>>;
  cost_per_contact: Partial<Record<MarketingChannel, string>>;
  conversion_value: string;
  currency: string;
  priority: number;
  control_share: string;
  starts_at: Date;
  ends_at: Date;
  attribution_days: number;
  audience: AudienceDto;
  audience_size: number | null;
  audience_ready_at: Date | null;
  audience_error: string | null;
  status: CampaignStatus;
  created_by: string;
  created_at: Date;
  submitted_by: string | null;
  approved_by: string | null;
  updated_at: Date;
  version: number;
}

/** What a campaign's definition holds: everything an editor writes. */
export interface CampaignDefinition {
  name: string;
  objective: string;
  ownerInstitutionId: string;
  productCodes: string[];
  channels: MarketingChannel[];
  templates: Partial<Record<MarketingChannel, string>>;
  costPerContact: Partial<Record<MarketingChannel, string>>;
  conversionValue: string;
  currency: string;
  priority: number;
  controlShare: number;
  startsAt: string;
  endsAt: string;
  attributionDays: number;
  audience: AudienceDto;
}

export interface TransitionRow {
  from_status: CampaignStatus | null;
  to_status: CampaignStatus;
  changed_by: string;
  changed_at: Date;
  note: string | null;
}

export interface TargetCountRow {
  arm: Arm;
  pending: number;
  contacted: number;
  held_back: number;
  closed: number;
}

const definitionValues = (d: CampaignDefinition): unknown[] => [
  d.name,
  d.objective,
  d.ownerInstitutionId,
  d.productCodes,
  d.channels,
  JSON.stringify(d.templates),
  JSON.stringify(d.costPerContact),
  d.conversionValue,
  d.currency,
  d.priority,
  d.controlShare,
  d.startsAt,
  d.endsAt,
  d.attributionDays,
  JSON.stringify(d.audience),
];

@Injectable()
export class CampaignRepository {
  constructor(private readonly dataSource: DataSource) {}

  private schema(tx: EntityManager): string {
    return `"${schemaOf(tx.connection)}"`;
  }

  async insert(tx: EntityManager, campaignId: string, d: CampaignDefinition, userId: string): Promise<void> {
    const s = this.schema(tx);
    await tx.query(
      `INSERT INTO ${s}.campaign (campaign_id, name, objective, owner_institution_id, product_codes, channels, templates,
         cost_per_contact, conversion_value, currency, priority, control_share, starts_at, ends_at, attribution_days,
         audience, status, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, 'draft', $17)`,
      [campaignId, ...definitionValues(d), userId],
    );
    await this.recordTransition(tx, campaignId, null, CampaignStatus.Draft, userId, null);
  }

  /** Replaces a draft's definition if `version` is still current; whether it was. */
  async update(
    tx: EntityManager,
    campaignId: string,
    d: CampaignDefinition,
    version: number,
  ): Promise<boolean> {
    const [rows]: [unknown[]] = await tx.query(
      `UPDATE ${this.schema(tx)}.campaign SET name = $2, objective = $3, owner_institution_id = $4, product_codes = $5,
         channels = $6, templates = $7, cost_per_contact = $8, conversion_value = $9, currency = $10, priority = $11,
         control_share = $12, starts_at = $13, ends_at = $14, attribution_days = $15, audience = $16,
         version = version + 1, updated_at = clock_timestamp()
       WHERE campaign_id = $1 AND version = $17 AND status = 'draft'
       RETURNING 1`,
      [campaignId, ...definitionValues(d), version],
    );
    return rows.length > 0;
  }

  /** One campaign within the caller's scope, locked for update when `forUpdate`. */
  async findOne(
    tx: EntityManager,
    scope: DataScope,
    campaignId: string,
    forUpdate = false,
  ): Promise<CampaignRow | undefined> {
    const params = new SqlParams();
    const rows: CampaignRow[] = await tx.query(
      `SELECT c.* FROM ${this.schema(tx)}.campaign c
        WHERE c.campaign_id = ${params.add(campaignId)} AND ${scopePredicate(scope, CAMPAIGN_SCOPE, params)}
        ${forUpdate ? 'FOR UPDATE' : ''}`,
      params.values,
    );
    return rows[0];
  }

  async list(
    scope: DataScope,
    filter: { status?: CampaignStatus; after?: [string, string]; limit: number },
  ): Promise<CampaignRow[]> {
    const params = new SqlParams();
    const where = [scopePredicate(scope, CAMPAIGN_SCOPE, params)];
    if (filter.status) where.push(`c.status = ${params.add(filter.status)}`);
    if (filter.after) {
      const [createdAt, id] = filter.after;
      where.push(
        `(c.created_at, c.campaign_id) < (${params.add(createdAt)}::timestamptz, ${params.add(id)})`,
      );
    }
    return this.dataSource.query(
      `SELECT c.* FROM "${schemaOf(this.dataSource)}".campaign c WHERE ${where.join(' AND ')}
        ORDER BY c.created_at DESC, c.campaign_id DESC LIMIT ${params.add(filter.limit + 1)}`,
      params.values,
    );
  }

  /** Moves the campaign to `to` if `version` is still current; whether it did. */
  async setStatus(
    tx: EntityManager,
    campaign: CampaignRow,
    to: CampaignStatus,
    userId: string,
    note: string | null,
    version: number,
  ): Promise<boolean> {
    const [rows]: [unknown[]] = await tx.query(
      `UPDATE ${this.schema(tx)}.campaign SET status = $2, version = version + 1, updated_at = clock_timestamp(),
         submitted_by = CASE WHEN $2 = 'submitted' THEN $3 ELSE submitted_by END,
         approved_by = CASE WHEN $2 = 'approved' THEN $3 WHEN $2 = 'draft' THEN NULL ELSE approved_by END
       WHERE campaign_id = $1 AND version = $4
       RETURNING 1`,
      [campaign.campaign_id, to, userId, version],
    );
    if (rows.length === 0) return false;
    await this.recordTransition(tx, campaign.campaign_id, campaign.status, to, userId, note);
    return true;
  }

  private async recordTransition(
    tx: EntityManager,
    campaignId: string,
    from: CampaignStatus | null,
    to: CampaignStatus,
    userId: string,
    note: string | null,
  ): Promise<void> {
    await tx.query(
      `INSERT INTO ${this.schema(tx)}.campaign_transition (campaign_id, from_status, to_status, changed_by, note)
       VALUES ($1, $2, $3, $4, $5)`,
      [campaignId, from, to, userId, note],
    );
  }

  async history(tx: EntityManager, campaignId: string): Promise<TransitionRow[]> {
    return tx.query(
      `SELECT from_status, to_status, changed_by, changed_at, note FROM ${this.schema(tx)}.campaign_transition
        WHERE campaign_id = $1 ORDER BY id`,
      [campaignId],
    );
  }

  async targetCounts(tx: EntityManager, campaignId: string): Promise<TargetCountRow[]> {
    return tx.query(
      `SELECT arm,
              count(*) FILTER (WHERE state = 'pending')::int AS pending,
              count(*) FILTER (WHERE state = 'contacted')::int AS contacted,
              count(*) FILTER (WHERE state = 'held-back')::int AS held_back,
              count(*) FILTER (WHERE state = 'closed')::int AS closed
         FROM ${this.schema(tx)}.target WHERE campaign_id = $1 GROUP BY arm ORDER BY arm`,
      [campaignId],
    );
  }

  async byIds(tx: EntityManager, campaignIds: readonly string[]): Promise<CampaignRow[]> {
    return tx.query(`SELECT * FROM ${this.schema(tx)}.campaign WHERE campaign_id = ANY($1)`, [campaignIds]);
  }

  /** The system ends a campaign whose period is over. */
  async complete(tx: EntityManager, campaignId: string): Promise<void> {
    const [rows]: [{ status: CampaignStatus }[]] = await tx.query(
      `UPDATE ${this.schema(tx)}.campaign c SET status = 'completed', version = version + 1, updated_at = clock_timestamp()
         FROM (SELECT status FROM ${this.schema(tx)}.campaign WHERE campaign_id = $1) before
        WHERE c.campaign_id = $1 RETURNING before.status`,
      [campaignId],
    );
    await this.recordTransition(
      tx,
      campaignId,
      rows[0].status,
      CampaignStatus.Completed,
      'system',
      'period ended',
    );
  }

  /**
   * A running campaign whose search audience is not yet materialised and that no instance is working on:
   * leased to the caller for `leaseMs` (renewed while it works, so a crashed instance's work is taken over).
   */
  async leaseUnmaterialised(now: Date, leaseMs: number): Promise<CampaignRow | undefined> {
    // UPDATE … RETURNING answers [rows, count].
    const [rows]: [CampaignRow[]] = await this.dataSource.query(
      `UPDATE "${schemaOf(this.dataSource)}".campaign SET audience_lease_until = $1::timestamptz + make_interval(secs => $2 / 1000.0)
        WHERE campaign_id = (
          SELECT campaign_id FROM "${schemaOf(this.dataSource)}".campaign
           WHERE status = 'running' AND audience->>'kind' = 'search' AND audience_ready_at IS NULL
             AND audience_error IS NULL AND (audience_lease_until IS NULL OR audience_lease_until < $1)
           ORDER BY updated_at LIMIT 1 FOR UPDATE SKIP LOCKED)
        RETURNING *`,
      [now, leaseMs],
    );
    return rows[0];
  }

  async renewLease(tx: EntityManager, campaignId: string, until: Date): Promise<void> {
    await tx.query(
      `UPDATE ${this.schema(tx)}.campaign SET audience_lease_until = $2 WHERE campaign_id = $1`,
      [campaignId, until],
    );
  }

  /** The audience is complete (size) or cannot be made (error, e.g. a filter customer-service refuses). */
  async audienceDone(campaignId: string, outcome: { size: number } | { error: string }): Promise<void> {
    await this.dataSource.query(
      `UPDATE "${schemaOf(this.dataSource)}".campaign
          SET audience_ready_at = CASE WHEN $2::int IS NULL THEN NULL ELSE clock_timestamp() END,
              audience_size = $2, audience_error = $3, audience_lease_until = NULL
        WHERE campaign_id = $1`,
      [campaignId, 'size' in outcome ? outcome.size : null, 'error' in outcome ? outcome.error : null],
    );
  }

  /** Running campaigns whose period is over: the dispatcher completes them. */
  async overdueRunning(tx: EntityManager, now: Date): Promise<string[]> {
    const rows: { campaign_id: string }[] = await tx.query(
      `SELECT campaign_id FROM ${this.schema(tx)}.campaign
        WHERE status IN ('running', 'paused') AND ends_at <= $1 FOR UPDATE SKIP LOCKED`,
      [now],
    );
    return rows.map((r) => r.campaign_id);
  }

  /** Running event-triggered campaigns listening for an alert of `kind`. */
  async runningTriggeredBy(tx: EntityManager, kind: string, at: string): Promise<CampaignRow[]> {
    return tx.query(
      `SELECT * FROM ${this.schema(tx)}.campaign
        WHERE status = 'running' AND audience->>'kind' = $1 AND audience->'alertKinds' ? $2
          AND starts_at <= $3 AND ends_at > $3`,
      [AudienceKind.Event, kind, at],
    );
  }
}
