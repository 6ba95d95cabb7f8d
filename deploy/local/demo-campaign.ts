/**
 * A demo campaign on the local stack (`npm run up` runs it): head office offers a 12-month time deposit to
 * individuals with some savings, by SMS and by their manager's call, under the bank's contact policy. It is
 * drafted by one marketing user, approved by another and launched; the audience is materialised through
 * customer-service. Idempotent: a demo campaign already running is left alone.
 *
 *   node -r ./tools/register.js deploy/local/demo-campaign.ts [--base-url http://127.0.0.1:3004]
 */
import { parseArgs } from 'node:util';
import { HEAD_OFFICE_ID } from '@crm/corebank-simulation';
import { DEV_ENV_FILE, Role, loadDevTokenConfig, signDevToken } from '@crm/security';

const DEMO_NAME = 'Demo: 12-month time deposit for savers (整存整取12个月)';
/** Whom the demo offers the deposit to: materialised once, at launch, through customer-service's search. */
const AUDIENCE_FILTER = { kind: 'individual', aum: { min: '50000.00' } };
/** Launched once the simulator's bank has this many such customers in customer-service (or after a wait). */
const MIN_AUDIENCE = 20;
const AUDIENCE_WAIT_MS = 120_000;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'base-url': { type: 'string', default: 'http://127.0.0.1:3004' },
      'customer-service-url': { type: 'string', default: 'http://127.0.0.1:3001' },
    },
  });
  const config = loadDevTokenConfig(process.env, DEV_ENV_FILE);
  const token = (sub: string, roles: Role[]) =>
    `Bearer ${signDevToken({ sub, roles, inst: HEAD_OFFICE_ID, perms: [] }, config, 3600)}`;
  const designer = token('demo-marketing-designer', [Role.Marketing]);
  const approver = token('demo-marketing-approver', [Role.Marketing]);
  const call = async (method: string, path: string, auth: string, body?: object) => {
    const response = await fetch(`${values['base-url']}/api/v1${path}`, {
      method,
      headers: { authorization: auth, 'content-type': 'application/json' },
      body: body && JSON.stringify(body),
    });
    const json = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    if (!response.ok)
      throw new Error(`${method} ${path} answered ${response.status}: ${JSON.stringify(json)}`);
    return json;
  };

  // The simulator's organisation reaches campaign-service over Kafka a moment after both start.
  const admin = token('demo-head-office', [Role.HeadOfficeAdmin]);
  for (let waited = 0; ; waited += 1_000) {
    const known = await fetch(`${values['base-url']}/api/v1/contact-policy/institutions/${HEAD_OFFICE_ID}`, {
      headers: { authorization: admin },
    });
    if (known.ok) break;
    if (waited >= 120_000)
      throw new Error(`campaign-service has not learned head office ${HEAD_OFFICE_ID} in 120 s`);
    if (waited % 10_000 === 0)
      console.log(`waiting for campaign-service to learn the organisation (${waited / 1000} s)`);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
  const running = (await call('GET', '/campaigns?status=running&limit=200', designer)).items as {
    name: string;
    campaignId: string;
  }[];
  const existing = running.find((c) => c.name === DEMO_NAME);
  if (existing) {
    console.log(`demo campaign ${existing.campaignId} is running already`);
    return;
  }
  // The simulator publishes its bank's customers a few at a time: an audience taken the moment it starts would
  // be empty, and a search audience is taken once.
  for (let waited = 0; ; waited += 2_000) {
    const found = await fetch(`${values['customer-service-url']}/api/v1/customers/search`, {
      method: 'POST',
      headers: { authorization: admin, 'content-type': 'application/json' },
      body: JSON.stringify({ filter: AUDIENCE_FILTER, pageSize: MIN_AUDIENCE }),
    })
      .then(async (r) => (r.ok ? ((await r.json()) as { items: unknown[] }).items.length : 0))
      .catch(() => 0);
    if (found >= MIN_AUDIENCE) break;
    if (waited >= AUDIENCE_WAIT_MS) {
      console.log(
        `only ${found} customers match the demo audience after ${waited / 1000} s: launching anyway`,
      );
      break;
    }
    if (waited % 10_000 === 0)
      console.log(
        `waiting for the simulator's customers to reach customer-service (${found} of ${MIN_AUDIENCE})`,
      );
    await new Promise((resolve) => setTimeout(resolve, 2_000));
  }
  const now = Date.now();
  const created = await call('POST', '/campaigns', designer, {
    name: DEMO_NAME,
    objective: 'Grow time deposits of individuals holding 50,000 CNY or more, before the rate cut',
    ownerInstitutionId: HEAD_OFFICE_ID,
    productCodes: ['TD-12M'],
    channels: ['sms', 'manager-task'],
    templates: {
      sms: '【之江农商银行】整存整取12个月限时优惠，详询您的客户经理或就近网点。',
      'manager-task': 'Call the customer about the 12-month time deposit offer; note what they say.',
    },
    costPerContact: { sms: '0.05', 'manager-task': '8.00' },
    conversionValue: { amount: '600.00', currency: 'CNY' },
    priority: 50,
    controlShare: 0.1,
    startsAt: new Date(now).toISOString(),
    endsAt: new Date(now + 7 * 86_400_000).toISOString(),
    attributionDays: 14,
    audience: { kind: 'search', filter: AUDIENCE_FILTER },
  });
  let version = created.version as number;
  for (const [action, who] of [
    ['submit', designer],
    ['approve', approver],
    ['launch', designer],
  ] as const)
    version = (
      await call('POST', `/campaigns/${created.campaignId as string}/transitions`, who, { action, version })
    ).version as number;
  console.log(`demo campaign ${created.campaignId as string} launched: ${DEMO_NAME}`);
}

main().catch((error: unknown) => {
  console.error(`demo campaign: ${(error as Error).message}`);
  process.exit(1);
});
