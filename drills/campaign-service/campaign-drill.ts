import { createHash } from 'node:crypto';
import {
  AlertKind,
  AlertSeverity,
  CoverageBasis,
  CoverageReason,
  EventTypes,
  LIFECYCLE_STAGES,
  MarketingChannel,
  POTENTIAL_TAGS,
  Topics,
  VALUE_TIERS,
  type AlertRaisedPayload,
  type CoverageChangedPayload,
  type CoveringInstitution,
  type CustomerProfileChangedPayload,
  type EventType,
  type InstitutionUpsertedPayload,
  type ManagerUpsertedPayload,
} from '@crm/contracts';
import { EventFactory, populationEvents, uuidFromDigest, type SimEvent } from '@crm/corebank-simulation';
import { Role } from '@crm/security';
import { tableRows, type DrillDatabase, type DrillInstance, type DrilledService } from '../lib/fault-drill';
import { bearer, callApi, launchDrafted } from './campaign-api';

const DAY_MS = 86_400_000;
const BANK_OFFSET_MS = 8 * 3_600_000;
/** Events the stream holds per customer, about: sizes the bank to the stream. */
const EVENTS_PER_CUSTOMER = 8;
const DRILL_SOURCE = '/drill/campaign-service';
/** What the triggered campaigns listen for; each alerted customer gets one of each, a day apart. */
const TRIGGERS: readonly AlertKind[] = [AlertKind.LargeInflow, AlertKind.TimeDepositMaturity];
const CORE_TYPES: ReadonlySet<string> = new Set([
  EventTypes.InstitutionUpserted,
  EventTypes.ManagerUpserted,
  EventTypes.CustomerRegistered,
  EventTypes.CustomerUpdated,
  EventTypes.AccountOpened,
  EventTypes.LoanDisbursed,
  EventTypes.CardIssued,
]);
const ORGANISATION_TYPES: ReadonlySet<string> = new Set([
  EventTypes.InstitutionUpserted,
  EventTypes.ManagerUpserted,
]);
/**
 * The bank's contact policy for the drill: two contacts a week across channels, one of them by app push.
 * Only caps on the customer: a cap per phone number or address would depend on whether the customer's
 * contact points had been consumed when the dispatcher decided, which no two runs repeat.
 */
const POLICY = {
  caps: [
    { subject: 'customer', channel: null, period: 'week', max: 2 },
    { subject: 'customer', channel: MarketingChannel.AppPush, period: 'week', max: 1 },
  ],
  quietHours: [],
  declineCoolingDays: 30,
  dailyCapacity: {},
  managerDailyTasks: 50,
};

/** A byte of a hash of the customer id: picks customers alike in every run and in prepare. */
const draw = (customerId: string, which: number): number =>
  createHash('sha256').update(`campaign-drill\u0000${customerId}`).digest()[which];
/** A quarter of the customers raise alerts that trigger the campaigns. */
const alerted = (customerId: string): boolean => draw(customerId, 0) % 4 === 0;
/** Half of those were contacted by app push before the stream: their app push cap is used up. */
const warmedUp = (customerId: string): boolean => alerted(customerId) && draw(customerId, 1) % 2 === 0;

/** Bank time (UTC+08:00, no daylight saving), as the simulator writes it. */
const bankTime = (at: number): string => new Date(at + BANK_OFFSET_MS).toISOString().replace('Z', '+08:00');
const bankDate = (at: number): string => bankTime(at).slice(0, 10);

interface Opening {
  customerId: string;
  institutionId: string;
  productId: string;
  reason: CoverageReason;
}

function openingOf(event: SimEvent): Opening | null {
  const data = event.data as Record<string, string>;
  switch (event.type) {
    case EventTypes.AccountOpened:
      return {
        customerId: data.customerId,
        institutionId: data.institutionId,
        productId: data.accountId,
        reason: CoverageReason.Deposit,
      };
    case EventTypes.LoanDisbursed:
      return {
        customerId: data.customerId,
        institutionId: data.institutionId,
        productId: data.loanId,
        reason: CoverageReason.Loan,
      };
    case EventTypes.CardIssued:
      return {
        customerId: data.customerId,
        institutionId: data.institutionId,
        productId: data.cardId,
        reason: CoverageReason.Card,
      };
    default:
      return null;
  }
}

/**
 * `size` events, all of kinds campaign-service applies: the seeded bank's organisation, customers and
 * their products (its initial load, then the openings and changes of its activity), each customer's
 * coverage as assignment-service would publish it (a new version whenever a product is opened at
 * another institution; the primary never changes), then day by day analytics-service's profile of every
 * customer and, on the first two days, an alert for a quarter of the customers (large inflow, then a
 * maturing deposit) that the drill's event-triggered campaigns listen for. Ids and contents follow from
 * the seed; simulated time starts `daysBack` days before today's midnight (UTC). No lobby tickets: the
 * service keeps an outlet's latest day only, and which of them a later day's ticket deletes depends on the
 * order the partitions are applied in, which no two runs repeat.
 */
export function campaignDrillStream(options: { size: number; seed?: number; daysBack?: number }): {
  events: SimEvent[];
  about: string;
} {
  const seed = options.seed ?? 42;
  const start = Math.floor(Date.now() / DAY_MS) * DAY_MS - (options.daysBack ?? 60) * DAY_MS;
  const customers = Math.max(100, Math.round(options.size / EVENTS_PER_CUSTOMER));
  const population = populationEvents({ seed, customers, start });
  const factory = new EventFactory({ seed, start, stream: 'campaign-drill' });
  const events: SimEvent[] = [];
  const full = () => events.length >= options.size;
  const add = (type: EventType, subject: string, at: number, data: object) => {
    if (!full()) events.push({ ...factory.create(type, subject, at, data), source: DRILL_SOURCE });
  };

  const managerOf = new Map<string, string>();
  const coverage = new Map<string, { version: number; primary: CoveringInstitution; secondary: string[] }>();
  const firstProduct = new Map<string, string>();
  const covering = (o: Opening): CoveringInstitution => ({
    institutionId: o.institutionId,
    managerId: managerOf.get(o.institutionId) ?? null,
    reason: o.reason,
    basis: CoverageBasis.Automatic,
  });
  const apply = (event: SimEvent) => {
    events.push(event);
    if (event.type === EventTypes.ManagerUpserted) {
      const manager = event.data as ManagerUpsertedPayload;
      if (manager.active && !managerOf.has(manager.institutionId))
        managerOf.set(manager.institutionId, manager.managerId);
    }
    const opening = openingOf(event);
    if (!opening) return;
    if (!firstProduct.has(opening.customerId)) firstProduct.set(opening.customerId, opening.productId);
    const known = coverage.get(opening.customerId);
    if (
      known &&
      (known.primary.institutionId === opening.institutionId ||
        known.secondary.includes(opening.institutionId))
    )
      return;
    const changed = known
      ? { ...known, version: known.version + 1, secondary: [...known.secondary, opening.institutionId] }
      : { version: 1, primary: covering(opening), secondary: [] };
    coverage.set(opening.customerId, changed);
    const at = Date.parse(event.time);
    add(EventTypes.CoverageChanged, opening.customerId, at, {
      customerId: opening.customerId,
      version: changed.version,
      primary: changed.primary,
      secondary: changed.secondary.map((institutionId) => covering({ ...opening, institutionId })),
      keyCustomer: false,
      privateBankerId: null,
      changedAt: bankTime(at),
      changedBy: 'system',
      note: `${opening.reason} at ${opening.institutionId}`,
    } satisfies CoverageChangedPayload);
  };

  for (const event of population.initialLoad) {
    if (full()) break;
    if (CORE_TYPES.has(event.type)) apply(event);
  }
  // Close of business day after day, each core banking activity of the day (openings, changes) first.
  let upcoming = population.stream.next();
  let day = Date.parse(events[events.length - 1].time) + DAY_MS;
  for (let round = 0; !full(); round += 1, day += DAY_MS) {
    for (; !upcoming.done && Date.parse(upcoming.value.time) < day; upcoming = population.stream.next())
      if (CORE_TYPES.has(upcoming.value.type) && !full()) apply(upcoming.value);
    for (const [customerId, covered] of coverage) {
      const bytes = createHash('sha256').update(`${seed}|${customerId}|${round}`).digest();
      add(EventTypes.CustomerProfileChanged, customerId, day, {
        customerId,
        businessDate: bankDate(day),
        valueTier: VALUE_TIERS[bytes[0] % VALUE_TIERS.length],
        lifecycleStage: LIFECYCLE_STAGES[bytes[1] % LIFECYCLE_STAGES.length],
        rfm: null,
        tags: POTENTIAL_TAGS.filter((_, i) => bytes[2 + i] % 3 === 0).map((tag, i) => ({
          tag,
          score: bytes[10 + i] % 101,
          facts: [`drill round ${round}`],
        })),
        churnScore: bytes[20] % 101,
        churnReasons: [],
        computedAt: bankTime(day),
      } satisfies CustomerProfileChangedPayload);
      const kind = TRIGGERS[round];
      if (!kind || !alerted(customerId)) continue;
      add(EventTypes.AlertRaised, customerId, day, {
        alertId: uuidFromDigest(createHash('sha256').update(`${seed}|${customerId}|${kind}`).digest()),
        kind,
        customerId,
        subjectRef: firstProduct.get(customerId)!,
        periodKey: bankDate(day),
        severity: AlertSeverity.Info,
        amount: { amount: '600000.00', currency: 'CNY' },
        institutionId: covered.primary.institutionId,
        ...(covered.primary.managerId ? { managerId: covered.primary.managerId } : {}),
        raisedAt: bankTime(day),
        reason: `drill: ${kind}`,
      } satisfies AlertRaisedPayload);
    }
  }
  const alerts = events.filter((e) => e.type === EventTypes.AlertRaised).length;
  return {
    events,
    about:
      `${events.length} events (seed ${seed}): the seeded bank's organisation, ${customers} customers (${coverage.size} ` +
      `with products) and their products, their coverage and daily profiles, and ${alerts} alerts triggering two campaigns`,
  };
}

const call = (instance: DrillInstance, method: string, path: string, auth: string, body?: object) =>
  callApi(instance.baseUrl, method, path, auth, body);

async function until(what: string, done: () => Promise<boolean>, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`prepare: ${what} not done in ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * Before the stream: the organisation and the first coverage of the customers the alerts name (a campaign's
 * owner must be known, and a trigger or an upload takes only customers its owner's subtree covers: were
 * their coverage consumed after their alert, the alert would trigger nothing, in one run and not another);
 * the contact policy; a campaign by app push to half the alerted customers, waited for until it contacted
 * them all; and the two campaigns the alerts trigger, running. The stream repeats those events, which are then duplicates.
 */
async function prepareCampaigns(instance: DrillInstance, events: readonly SimEvent[]): Promise<void> {
  const firstCoverage = new Map<string, SimEvent>();
  for (const event of events) {
    const { customerId } = event.data as { customerId?: string };
    if (event.type === EventTypes.CoverageChanged && alerted(customerId!) && !firstCoverage.has(customerId!))
      firstCoverage.set(customerId!, event);
  }
  const preamble = [...events.filter((e) => ORGANISATION_TYPES.has(e.type)), ...firstCoverage.values()];
  await instance.publish(preamble);
  await until(
    'the organisation and coverage',
    async () => (await instance.processedCount()) >= preamble.length,
  );

  const headOffice = events
    .filter((e) => e.type === EventTypes.InstitutionUpserted)
    .map((e) => e.data as InstitutionUpsertedPayload)
    .find((i) => i.parentId === null)!.institutionId;
  const [alice, bob] = ['alice', 'bob'].map((sub) => bearer(sub, [Role.Marketing], headOffice));
  await call(
    instance,
    'PUT',
    '/contact-policy',
    bearer('head-office', [Role.HeadOfficeAdmin], headOffice),
    POLICY,
  );

  const launch = async (
    name: string,
    campaign: { channels: MarketingChannel[]; priority: number; startsAt: number; endsAt: number },
    audience: object,
    targets: string[] = [],
  ): Promise<string> => {
    const created = await call(instance, 'POST', '/campaigns', alice, {
      name,
      objective: 'fault drill',
      ownerInstitutionId: headOffice,
      productCodes: [`DRILL-${name.toUpperCase()}`],
      channels: campaign.channels,
      templates: Object.fromEntries(campaign.channels.map((c) => [c, `${name} offer`])),
      costPerContact: Object.fromEntries(campaign.channels.map((c) => [c, '0.05'])),
      conversionValue: { amount: '100.00', currency: 'CNY' },
      priority: campaign.priority,
      // No control group: its draw hashes the campaign id, which differs from run to run.
      controlShare: 0,
      startsAt: new Date(campaign.startsAt).toISOString(),
      endsAt: new Date(campaign.endsAt).toISOString(),
      audience,
    });
    const id = created.campaignId as string;
    if (targets.length > 0) {
      const added = await call(instance, 'POST', `/campaigns/${id}/targets`, alice, { customerIds: targets });
      if ((added.rejected as unknown[]).length > 0)
        throw new Error(`prepare: targets of ${name} rejected: ${JSON.stringify(added.rejected)}`);
    }
    await launchDrafted(instance.baseUrl, created, alice, bob);
    return id;
  };

  const now = Date.now();
  const warm = [...firstCoverage.keys()].filter(warmedUp);
  const warmUp = await launch(
    'warm-up',
    { channels: [MarketingChannel.AppPush], priority: 1, startsAt: now - 60_000, endsAt: now + 10_000 },
    { kind: 'upload' },
    warm,
  );
  // Every alert of the stream must find them running: they start before its first event.
  const streamStart = events.reduce((first, e) => Math.min(first, Date.parse(e.time)), Infinity) - DAY_MS;
  const triggered = { startsAt: streamStart, endsAt: now + DAY_MS / 2 };
  const audience = { kind: 'event', alertKinds: TRIGGERS };
  await launch('push', { ...triggered, channels: [MarketingChannel.AppPush], priority: 3 }, audience);
  await launch('sms', { ...triggered, channels: [MarketingChannel.Sms], priority: 2 }, audience);
  await until('the warm-up contacts', async () => {
    const [{ n }] = await instance.sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM "${instance.schema}".contact WHERE campaign_id = $1 AND outcome = 'sent'`,
      [warmUp],
    );
    return n === warm.length;
  });
}

/**
 * Every row of its tables but what no two runs repeat: the campaigns' ids (random; each is written as the
 * campaign's name, in reasons too), their periods and the targets' due times (set from the wall clock),
 * contact ids (random, or derived from the campaign id) and the contact points a contact row copies (as
 * the projection held them at the moment of the decision, however far the customer topic had been consumed).
 */
const storedRows = tableRows({ volatile: ['starts_at', 'ends_at', 'due_at', 'contact_id'] });

async function outcome(db: DrillDatabase): Promise<string[]> {
  const campaigns = await db.sql<{ campaign_id: string; name: string }>(
    `SELECT campaign_id, name FROM "${db.schema}".campaign`,
  );
  return (await storedRows(db))
    .map((row) => {
      let named = row;
      if (row.startsWith('contact ')) {
        const {
          phone_hash: _phone,
          email_hash: _email,
          ...contact
        } = JSON.parse(row.slice('contact '.length));
        named = `contact ${JSON.stringify(contact)}`;
      }
      for (const { campaign_id, name } of campaigns) named = named.replaceAll(campaign_id, `<${name}>`);
      return named;
    })
    .sort();
}

/**
 * campaign-service's drill: its projections of the stream (customer facts, coverage, analytic profiles) and
 * its contacts. A warm-up campaign uses up the app push cap of half the alerted customers before the stream;
 * each alert then makes the customer a target of two triggered campaigns at once (the same trigger: judged
 * together, so arbitration always sees both). The push campaign ranks first: a fresh customer gets its push
 * and the SMS campaign loses arbitration; a warmed-up one is refused the push by the Redis counters and gets
 * the SMS (two a week across channels). A second alert changes nothing. A counter lost with Redis and not
 * rebuilt from the ledger would send a second push; a contact lost or doubled by a crash shows in the ledger.
 * Determinism: decisions depend on the counters alone (no consent events, products no one holds, no quiet
 * hours, no daily capacity, customer caps only), every contact of a run falls in one week, campaigns differ
 * in priority, and losers are retried the next day, after the triggered campaigns end: they are closed.
 */
export const CAMPAIGN_DRILL: DrilledService = {
  name: 'campaign',
  entry: 'apps/campaign-service/src/main.ts',
  consumes: [
    Topics.CorebankOrganisation,
    Topics.CorebankCustomer,
    Topics.CorebankAccount,
    Topics.CorebankLoan,
    Topics.CorebankCard,
    Topics.CrmAssignment,
    Topics.CrmAnalyticsProfile,
    Topics.CrmAlert,
  ],
  outcome,
  filled: ['institution', 'coverage', 'contact_point', 'holding', 'analytic_profile', 'target', 'contact'],
  settling: async (db) =>
    (await db.sql<{ n: number }>(`SELECT count(*)::int AS n FROM "${db.schema}".contact`))[0].n,
  pending: async (db) =>
    (
      await db.sql<{ n: number }>(
        `SELECT count(*)::int AS n FROM "${db.schema}".target WHERE state = 'pending'`,
      )
    )[0].n,
  // Contacts due a second after their alert (not a minute), looked for twice a second.
  env: { TRIGGERED_CONTACT_DELAY_MS: '1000', DISPATCH_INTERVAL_MS: '500' },
  stream: ({ size, seed }) => campaignDrillStream({ size, seed }),
  prepare: prepareCampaigns,
};
