import { createHash, randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { BusinessCalendar, MS_PER_DAY, addDays } from '@crm/calendar';
import { ContactRequestedPayload, EventTypes, MarketingChannel, Topics } from '@crm/contracts';
import { OutboxWriter } from '@crm/messaging';
import { CoverageProjectionRepository, CustomerCoverage } from '@crm/security';
import { CampaignServiceConfig } from '../app.config';
import { CampaignRepository, CampaignRow } from '../campaigns/campaign.repository';
import { CustomerFacts, CustomerFactsRepository } from '../customers/customer-facts.repository';
import { ContactCounterStore } from '../policy/contact-counter.store';
import { CountedContact, MANAGER_CHANNELS, counterChecks } from '../policy/contact-counters.rule';
import { ContactPolicy, nextAllowedTime } from '../policy/contact-policy.rule';
import { ContactPolicyService } from '../policy/contact-policy.service';
import { SuppressionReason, ineligibility } from '../policy/eligibility.rule';
import { TaskRepository } from '../tasks/task.repository';
import { TargetRepository } from '../targets/target.repository';
import { propensityOf } from '../analytics/propensity.rule';
import { rankClaims } from './arbitration.rule';
import { DispatchRepository, DueCursor, DueTarget, LedgerEntry } from './dispatch.repository';

/** Outcome of one dispatch pass, for logs, metrics and tests. */
export interface DispatchReport {
  sent: number;
  suppressed: number;
  deferred: number;
}

/** A preferred channel passed over for the next one, and why: recorded, so the ledger shows the policy at work. */
interface Skipped {
  channel: MarketingChannel;
  reason: string;
}

/** What happens to one target in a pass. */
type Decision =
  | {
      kind: 'send';
      channel: MarketingChannel;
      contact: CountedContact;
      managerId: string | null;
      skipped: Skipped[];
    }
  | { kind: 'defer'; channel: MarketingChannel; until: number; reason: string; skipped: Skipped[] }
  | { kind: 'suppress'; channel: MarketingChannel; reason: string; final: boolean };

/**
 * One contact per target, at most once: the id of a target's contact is derived from campaign and
 * customer, so a pass that crashed after counting it in Redis counts and records the same contact when
 * it runs again, and the ledger's primary key refuses a second one.
 */
export const contactIdOf = (campaignId: string, customerId: string): string => {
  const hex = createHash('sha256').update(`contact\u0000${campaignId}\u0000${customerId}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
};

/**
 * Contacts the targets that are due, campaign by campaign and customer by customer, under the contact
 * policy: the competing campaigns of a customer ranked (priority, then expected value), the first that the
 * policy allows on one of its channels sent, the rest suppressed for this slot and due again the next day.
 * A contact is counted in Redis (atomically against every cap) and then recorded, with its
 * `crm.campaign.contact` event in the outbox and, for a manager channel, a task, in one transaction.
 */
@Injectable()
export class ContactDispatcher {
  private readonly logger = new Logger(ContactDispatcher.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly dispatch: DispatchRepository,
    private readonly campaigns: CampaignRepository,
    private readonly targets: TargetRepository,
    private readonly facts: CustomerFactsRepository,
    private readonly coverage: CoverageProjectionRepository,
    private readonly tasks: TaskRepository,
    private readonly policies: ContactPolicyService,
    private readonly counters: ContactCounterStore,
    private readonly outbox: OutboxWriter,
    private readonly calendar: BusinessCalendar,
    private readonly config: CampaignServiceConfig,
  ) {}

  /**
   * Dispatches everything due at `now`, batch by batch on DISPATCH_CONCURRENCY transactions at once (each
   * takes the due targets no other holds, so one waits on the database while another computes), then ends
   * the campaigns whose period is over.
   */
  async runOnce(now = Date.now()): Promise<DispatchReport> {
    const report: DispatchReport = { sent: 0, suppressed: 0, deferred: 0 };
    // The batches go on from the furthest customer any of them locked: what they passed over was locked
    // elsewhere (another instance, an offer) or came due meanwhile, and is the next pass's.
    let after: DueCursor | null = null;
    const worker = async (): Promise<void> => {
      for (;;) {
        const batch = await this.dispatchBatch(now, after);
        if (batch.last && (!after || compareCursors(batch.last, after) > 0)) after = batch.last;
        report.sent += batch.sent;
        report.suppressed += batch.suppressed;
        report.deferred += batch.deferred;
        if (batch.targets < this.config.DISPATCH_BATCH_SIZE) return;
      }
    };
    await Promise.all(Array.from({ length: this.config.DISPATCH_CONCURRENCY }, worker));
    await this.completeEndedCampaigns(now);
    return report;
  }

  private async dispatchBatch(
    now: number,
    after: DueCursor | null,
  ): Promise<DispatchReport & { targets: number; last: DueCursor | null }> {
    const reserved: CountedContact[] = [];
    try {
      return await this.dataSource.transaction(async (tx) => {
        const slotEnd = this.calendar.startOf(addDays(this.calendar.dateOf(now), 1));
        const { targets: due, last } = await this.dispatch.lockDue(
          tx,
          new Date(now),
          new Date(slotEnd),
          this.config.DISPATCH_BATCH_SIZE,
          after,
        );
        const report = { sent: 0, suppressed: 0, deferred: 0, targets: due.length, last };
        if (due.length === 0) return report;

        const campaigns = await this.campaignsOf(tx, due);
        const customerIds = [...new Set(due.map((t) => t.customer_id))];
        await this.facts.lockCustomers(tx, customerIds);
        const products = [...new Set([...campaigns.values()].flatMap((c) => c.product_codes))];
        const [facts, coverage] = await Promise.all([
          this.facts.factsOf(tx, customerIds, products),
          this.coverage.coverageOf(tx, customerIds),
        ]);

        const policies = await this.policiesOf(coverage, customerIds);
        const recordedAt = new Date(now);
        const ledger: LedgerEntry[] = [];
        const moves: Parameters<DispatchRepository['moveTargets']>[1][number][] = [];
        const events: { contact: ContactRequestedPayload; institutionId: string | null }[] = [];
        // Customers are judged side by side: their reservations reach Redis together, in this order.
        const judge = async (customerId: string, claims: DueTarget[]): Promise<void> => {
          const customerCoverage = coverage.get(customerId);
          const policy = policies.get(customerCoverage?.primaryInstitutionId ?? null)!;
          // Most customers are claimed by one campaign: nothing to rank, no expected value to work out.
          const ranked =
            claims.length === 1
              ? [{ target: claims[0], campaign: campaigns.get(claims[0].campaign_id)! }]
              : rankClaims(
                  claims.map((t) => {
                    const campaign = campaigns.get(t.campaign_id)!;
                    return {
                      target: t,
                      campaign,
                      campaignId: t.campaign_id,
                      priority: campaign.priority,
                      expectedValue: expectedValueOf(campaign, facts.get(customerId)),
                    };
                  }),
                );
          let winner: string | null = null;
          for (const { target, campaign } of ranked) {
            const base = {
              campaignId: campaign.campaign_id,
              customerId,
              institutionId: customerCoverage?.primaryInstitutionId ?? null,
              phoneHash: facts.get(customerId)?.phoneHash ?? null,
              emailHash: facts.get(customerId)?.emailHash ?? null,
              dueAt: target.due_at,
              recordedAt,
            };
            if (winner) {
              ledger.push({
                ...base,
                contactId: randomUUID(),
                channel: campaign.channels[0],
                outcome: 'suppressed',
                reason: `${SuppressionReason.Arbitration}:${winner}`,
                managerId: null,
              });
              moves.push(this.retryNextSlot(campaign, target, now, SuppressionReason.Arbitration));
              report.suppressed += 1;
              continue;
            }
            const decision = await this.decide(
              campaign,
              customerId,
              facts.get(customerId),
              customerCoverage,
              policy,
              now,
            );
            if (decision.kind !== 'suppress')
              for (const { channel, reason } of decision.skipped)
                ledger.push({
                  ...base,
                  contactId: randomUUID(),
                  channel,
                  outcome: 'suppressed',
                  reason,
                  managerId: null,
                });
            if (decision.kind === 'send') {
              reserved.push(decision.contact);
              winner = campaign.campaign_id;
              ledger.push({
                ...base,
                contactId: decision.contact.contactId,
                channel: decision.channel,
                outcome: 'sent',
                reason: null,
                managerId: decision.managerId,
              });
              moves.push({
                campaignId: campaign.campaign_id,
                customerId,
                state: 'contacted',
                dueAt: target.due_at,
                reason: null,
              });
              events.push({
                contact: this.contactEvent(campaign, customerId, decision, now),
                institutionId: base.institutionId,
              });
              report.sent += 1;
            } else if (decision.kind === 'defer') {
              // The slot is the deferred campaign's: lower ones do not jump the queue meanwhile.
              winner = campaign.campaign_id;
              ledger.push({
                ...base,
                contactId: randomUUID(),
                channel: decision.channel,
                outcome: 'deferred',
                reason: decision.reason,
                managerId: null,
              });
              moves.push({
                campaignId: campaign.campaign_id,
                customerId,
                state: 'pending',
                dueAt: new Date(decision.until),
                reason: decision.reason,
              });
              report.deferred += 1;
            } else {
              ledger.push({
                ...base,
                contactId: randomUUID(),
                channel: decision.channel,
                outcome: 'suppressed',
                reason: decision.reason,
                managerId: null,
              });
              moves.push(
                decision.final
                  ? {
                      campaignId: campaign.campaign_id,
                      customerId,
                      state: 'closed',
                      dueAt: target.due_at,
                      reason: decision.reason,
                    }
                  : this.retryNextSlot(campaign, target, now, decision.reason),
              );
              report.suppressed += 1;
            }
          }
        };
        await Promise.all([...groupByCustomer(due)].map(([customerId, claims]) => judge(customerId, claims)));
        await this.dispatch.record(tx, ledger);
        await this.dispatch.moveTargets(tx, moves);
        await this.tasks.createFor(
          tx,
          events.filter((e) => e.contact.managerId !== null),
        );
        await this.outbox.addAll(
          tx,
          events.map(({ contact }) => ({
            topic: Topics.CrmCampaignContact,
            type: EventTypes.ContactRequested,
            subject: contact.customerId,
            data: contact,
          })),
        );
        return report;
      });
    } catch (error) {
      // Counted in Redis but never recorded: uncount them, or they would hold places under the caps.
      await Promise.all(reserved.map((c) => this.counters.release(c))).catch(() => undefined);
      throw error;
    }
  }

  /**
   * The campaign's channels in its order of preference: the first one the customer may be contacted on
   * now is reserved. Quiet hours defer the contact to the channel's next allowed time; a channel the
   * customer cannot be reached on is skipped (and said why); when every channel is blocked the first
   * reason is given.
   */
  private async decide(
    campaign: CampaignRow,
    customerId: string,
    facts: CustomerFacts | undefined,
    coverage: CustomerCoverage | undefined,
    policy: ContactPolicy,
    now: number,
  ): Promise<Decision> {
    let blocked: Decision | null = null;
    const skipped: Skipped[] = [];
    const skip = (channel: MarketingChannel, reason: string, final = false) => {
      skipped.push({ channel, reason });
      blocked ??= { kind: 'suppress', channel, reason, final };
    };
    for (const channel of campaign.channels) {
      const reason = ineligibility(facts, channel, campaign.product_codes, policy, now);
      if (reason) {
        skip(channel, reason, reason === SuppressionReason.AlreadyHolds);
        continue;
      }
      const managerId = MANAGER_CHANNELS.has(channel) ? (coverage?.primaryManagerId ?? null) : null;
      if (MANAGER_CHANNELS.has(channel) && !managerId) {
        skip(channel, SuppressionReason.NoManager);
        continue;
      }
      const allowedAt = nextAllowedTime(this.calendar, policy.quietHours, channel, now);
      if (allowedAt > now)
        return { kind: 'defer', channel, until: allowedAt, reason: 'quiet-hours', skipped };
      const contact: CountedContact = {
        contactId: contactIdOf(campaign.campaign_id, customerId),
        customerId,
        channel,
        phoneHash: facts?.phoneHash ?? null,
        emailHash: facts?.emailHash ?? null,
        managerId,
        at: now,
      };
      const result = await this.counters.reserve(contact, counterChecks(policy, contact, this.calendar), () =>
        this.dispatch.madeSince(Date.now()),
      );
      if (result.reserved) return { kind: 'send', channel, contact, managerId, skipped };
      skip(channel, result.blockedBy.reason);
    }
    return blocked!;
  }

  /** Tried again at the same time of day on the next business day, while the campaign runs. */
  private retryNextSlot(campaign: CampaignRow, target: DueTarget, now: number, reason: string) {
    const next = Math.max(target.due_at.getTime(), now) + MS_PER_DAY;
    return next < campaign.ends_at.getTime()
      ? {
          campaignId: campaign.campaign_id,
          customerId: target.customer_id,
          state: 'pending',
          dueAt: new Date(next),
          reason,
        }
      : {
          campaignId: campaign.campaign_id,
          customerId: target.customer_id,
          state: 'closed',
          dueAt: target.due_at,
          reason,
        };
  }

  private contactEvent(
    campaign: CampaignRow,
    customerId: string,
    decision: Extract<Decision, { kind: 'send' }>,
    now: number,
  ): ContactRequestedPayload {
    return {
      contactId: decision.contact.contactId,
      campaignId: campaign.campaign_id,
      customerId,
      channel: decision.channel,
      productCodes: campaign.product_codes,
      message: campaign.templates[decision.channel]!,
      institutionId: campaign.owner_institution_id,
      managerId: decision.managerId,
      dueAt: this.calendar.timestamp(now),
    };
  }

  /** The effective policy of every institution covering a customer of the batch (null: the bank's). */
  private async policiesOf(
    coverage: ReadonlyMap<string, CustomerCoverage>,
    customerIds: readonly string[],
  ): Promise<Map<string | null, ContactPolicy>> {
    const institutions = new Set(customerIds.map((id) => coverage.get(id)?.primaryInstitutionId ?? null));
    return new Map(
      await Promise.all(
        [...institutions].map(async (id) => [id, await this.policies.effectiveFor(id)] as const),
      ),
    );
  }

  private async campaignsOf(tx: EntityManager, due: readonly DueTarget[]): Promise<Map<string, CampaignRow>> {
    const ids = [...new Set(due.map((t) => t.campaign_id))];
    const rows = await this.campaigns.byIds(tx, ids);
    return new Map(rows.map((c) => [c.campaign_id, c]));
  }

  private async completeEndedCampaigns(now: number): Promise<void> {
    await this.dataSource.transaction(async (tx) => {
      for (const campaignId of await this.campaigns.overdueRunning(tx, new Date(now))) {
        await this.targets.closePending(tx, campaignId, 'campaign-ended');
        await this.campaigns.complete(tx, campaignId);
        this.logger.log(`campaign ${campaignId} completed: its period is over`);
      }
    });
  }
}

const compareCursors = (a: DueCursor, b: DueCursor): number =>
  a.dueAt < b.dueAt
    ? -1
    : a.dueAt > b.dueAt
      ? 1
      : a.customerId < b.customerId
        ? -1
        : a.customerId > b.customerId
          ? 1
          : 0;

function groupByCustomer(due: readonly DueTarget[]): Map<string, DueTarget[]> {
  const groups = new Map<string, DueTarget[]>();
  for (const target of due) {
    const group = groups.get(target.customer_id);
    if (group) group.push(target);
    else groups.set(target.customer_id, [target]);
  }
  return groups;
}

/** What a conversion is worth times the customer's propensity for the campaign's products. */
const expectedValueOf = (campaign: CampaignRow, facts: CustomerFacts | undefined): string =>
  propensityOf(campaign.product_codes, facts).times(campaign.conversion_value).toFixed(2);
