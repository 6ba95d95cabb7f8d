import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { RequestValidationException } from '@crm/http';
import { ChannelListener, tableChangeListener } from '@crm/persistence';
import {
  AuditLogWriter,
  AuthenticatedUser,
  DataScopeResolver,
  assertInstitutionInScope,
} from '@crm/security';
import { CampaignException, CampaignExceptionCode } from '../common/campaign.exception';
import { ContactPolicyDto, InstitutionPolicyDto, PolicyVersionDto } from './contact-policy.dto';
import { ContactPolicyRepository, PolicyVersion } from './contact-policy.repository';
import { ContactPolicy, DEFAULT_CONTACT_POLICY, looseningsOf, tightenPolicy } from './contact-policy.rule';

interface PolicyLevels {
  bank: PolicyVersion | null;
  byInstitution: Map<string, PolicyVersion>;
  effective: Map<string, ContactPolicy>;
}

/**
 * The contact policy in force for each institution: the bank's, tightened level by level down the
 * institution tree. Held in memory; every instance drops it when the policy table changes (its change
 * trigger notifies on commit), so a new cap applies to the next contact on all instances.
 */
@Injectable()
export class ContactPolicyService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(ContactPolicyService.name);
  private readonly listener: ChannelListener;
  private levels: Promise<PolicyLevels> | null = null;

  constructor(
    private readonly dataSource: DataSource,
    private readonly repository: ContactPolicyRepository,
    private readonly scopes: DataScopeResolver,
    private readonly audit: AuditLogWriter,
  ) {
    this.listener = tableChangeListener(
      dataSource,
      'contact_policy',
      () => (this.levels = null),
      (error) => this.logger.warn(`contact policy change listener reconnecting: ${error.message}`),
    );
  }

  async onModuleInit(): Promise<void> {
    await this.listener.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.listener.close();
  }

  /** The policy for a customer of `institutionId` (null: no institution covers them yet, the bank's). */
  async effectiveFor(institutionId: string | null): Promise<ContactPolicy> {
    const levels = await this.load();
    const bank = levels.bank?.policy ?? DEFAULT_CONTACT_POLICY;
    if (institutionId === null) return bank;
    const cached = levels.effective.get(institutionId);
    if (cached) return cached;
    let policy = bank;
    for (const level of await this.scopes.pathTo(institutionId)) {
      const own = levels.byInstitution.get(level);
      if (own) policy = tightenPolicy(policy, own.policy);
    }
    levels.effective.set(institutionId, policy);
    return policy;
  }

  async bankPolicy(): Promise<PolicyVersionDto> {
    const { bank } = await this.load();
    return bank ? presentVersion(bank) : { policy: DEFAULT_CONTACT_POLICY, changedBy: null, changedAt: null };
  }

  /** Head office sets the bank's policy; every institution's tightening applies on top of it. */
  async setBankPolicy(user: AuthenticatedUser, dto: ContactPolicyDto): Promise<PolicyVersionDto> {
    const policy = toPolicy(dto);
    await this.dataSource.transaction(async (tx) => {
      await this.repository.record(tx, null, policy, user.userId);
      await this.audit.record(
        {
          actor: user,
          action: 'contact-policy.set',
          resourceType: 'contact-policy',
          resourceId: 'bank',
          outcome: 'allowed',
        },
        tx,
      );
    });
    this.levels = null;
    return this.bankPolicy();
  }

  async institutionPolicy(user: AuthenticatedUser, institutionId: string): Promise<InstitutionPolicyDto> {
    assertInstitutionInScope(await this.scopes.resolve(user), institutionId);
    await this.assertKnown(institutionId);
    const own = (await this.load()).byInstitution.get(institutionId);
    return {
      institutionId,
      own: own ? presentVersion(own) : null,
      effective: await this.effectiveFor(institutionId),
    };
  }

  /**
   * An institution tightens the policy for its subtree; a setting looser than what it inherits is
   * refused (422, naming the fields), so no level can undo the bank's limits. Null drops the tightening.
   */
  async setInstitutionPolicy(
    user: AuthenticatedUser,
    institutionId: string,
    dto: ContactPolicyDto | null,
  ): Promise<InstitutionPolicyDto> {
    assertInstitutionInScope(await this.scopes.resolve(user), institutionId);
    await this.assertKnown(institutionId);
    const policy = dto && toPolicy(dto);
    if (policy) {
      const path = await this.scopes.pathTo(institutionId);
      const inherited = await this.effectiveFor(path.length > 1 ? path[path.length - 2] : null);
      const loosened = looseningsOf(inherited, policy);
      if (loosened.length > 0)
        throw new CampaignException(
          CampaignExceptionCode.PolicyLoosened,
          `An institution can only tighten the policy it inherits; looser: ${loosened.join(', ')}`,
        );
    }
    await this.dataSource.transaction(async (tx) => {
      await this.repository.record(tx, institutionId, policy, user.userId);
      await this.audit.record(
        {
          actor: user,
          action: policy ? 'contact-policy.set' : 'contact-policy.reset',
          resourceType: 'contact-policy',
          resourceId: institutionId,
          outcome: 'allowed',
        },
        tx,
      );
    });
    this.levels = null;
    return this.institutionPolicy(user, institutionId);
  }

  private async assertKnown(institutionId: string): Promise<void> {
    if ((await this.scopes.pathTo(institutionId)).length === 0)
      throw new CampaignException(
        CampaignExceptionCode.InstitutionUnknown,
        `No institution ${institutionId} is known`,
      );
  }

  private load(): Promise<PolicyLevels> {
    if (this.levels) return this.levels;
    const levels = this.repository.inForce().then((versions) => ({
      bank: versions.find((v) => v.institutionId === null) ?? null,
      byInstitution: new Map(
        versions.filter((v) => v.institutionId !== null).map((v) => [v.institutionId!, v]),
      ),
      effective: new Map<string, ContactPolicy>(),
    }));
    this.levels = levels;
    levels.catch(() => {
      if (this.levels === levels) this.levels = null;
    });
    return levels;
  }
}

function toPolicy(dto: ContactPolicyDto): ContactPolicy {
  const windows = dto.quietHours.filter((q) => q.from === q.to);
  if (windows.length > 0)
    throw new RequestValidationException(
      windows.map((q) => ({
        field: `quietHours.${dto.quietHours.indexOf(q)}.to`,
        message: 'to must differ from from (an empty window would silence nothing)',
      })),
    );
  return {
    caps: dto.caps.map((c) => ({ subject: c.subject, channel: c.channel, period: c.period, max: c.max })),
    quietHours: dto.quietHours.map((q) => ({ channel: q.channel, from: q.from, to: q.to })),
    declineCoolingDays: dto.declineCoolingDays,
    dailyCapacity: { ...dto.dailyCapacity },
    managerDailyTasks: dto.managerDailyTasks,
  };
}

const presentVersion = (v: PolicyVersion): PolicyVersionDto => ({
  policy: v.policy,
  changedBy: v.changedBy,
  changedAt: v.changedAt.toISOString(),
});
