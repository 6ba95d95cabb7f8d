import type request from 'supertest';
import { ServiceHarness, TestTokenClaims, testToken } from '@crm/service-harness';
import { CAMPAIGN_SERVICE } from '../service';

/**
 * campaign-service for one test file. Its dispatch loop is slowed to a crawl, so a test drives the
 * dispatcher itself at the times it chooses; after a Redis wipe the counters are rebuilt at once.
 * The clock starts an hour back: the facts come before the campaigns a test launches.
 */
export function campaignHarness(name: string, env: Record<string, string> = {}): ServiceHarness {
  return new ServiceHarness(CAMPAIGN_SERVICE, {
    name,
    env: { DISPATCH_INTERVAL_MS: '600000', POLICY_REBUILD_GRACE_MS: '0', ...env },
    clockStart: Date.now() - 3_600_000,
  });
}

/** An Authorization header value for the caller. */
export const bearer = (claims: TestTokenClaims): string => `Bearer ${testToken(claims)}`;

/** What a test says about a campaign; the rest is a plausible default. */
export interface CampaignSpec {
  name?: string;
  owner: string;
  channels: string[];
  product: string;
  priority?: number;
  /** Decimal string, CNY. */
  value?: string;
  controlShare?: number;
  /** Default an upload audience. */
  audience?: object;
  startsAt?: Date;
  endsAt?: Date;
}

/** The body of POST /campaigns for `spec`. */
export function campaignDraft(spec: CampaignSpec): Record<string, unknown> {
  const now = Date.now();
  const name = spec.name ?? `${spec.product} by ${spec.channels.join(' and ')}`;
  return {
    name,
    objective: `test: ${name}`,
    ownerInstitutionId: spec.owner,
    productCodes: [spec.product],
    channels: spec.channels,
    templates: Object.fromEntries(spec.channels.map((c) => [c, `${name}: ask about ${spec.product}`])),
    costPerContact: Object.fromEntries(spec.channels.map((c) => [c, '0.05'])),
    conversionValue: { amount: spec.value ?? '1000.00', currency: 'CNY' },
    priority: spec.priority ?? 10,
    controlShare: spec.controlShare ?? 0,
    startsAt: (spec.startsAt ?? new Date(now - 3_600_000)).toISOString(),
    endsAt: (spec.endsAt ?? new Date(now + 7 * 86_400_000)).toISOString(),
    audience: spec.audience ?? { kind: 'upload' },
  };
}

/**
 * Drafts, lists `customers` (upload audiences), submits, has a second person approve and launches a
 * campaign through the API, as marketing staff do; its id.
 */
export async function launchCampaign(
  http: ReturnType<typeof request>,
  staff: { author: string; approver: string },
  spec: CampaignSpec,
  customers: string[] = [],
): Promise<string> {
  const created = await http
    .post('/api/v1/campaigns')
    .set('authorization', staff.author)
    .send(campaignDraft(spec))
    .expect(201);
  const id = created.body.campaignId as string;
  if (customers.length > 0) {
    const listed = await http
      .post(`/api/v1/campaigns/${id}/targets`)
      .set('authorization', staff.author)
      .send({ customerIds: customers })
      .expect(200);
    if (listed.body.rejectedCount > 0)
      throw new Error(`targets refused: ${JSON.stringify(listed.body.rejected)}`);
  }
  let version = created.body.version as number;
  for (const [action, who] of [
    ['submit', staff.author],
    ['approve', staff.approver],
    ['launch', staff.author],
  ])
    version = (
      await http
        .post(`/api/v1/campaigns/${id}/transitions`)
        .set('authorization', who)
        .send({ action, version })
        .expect(200)
    ).body.version;
  return id;
}
