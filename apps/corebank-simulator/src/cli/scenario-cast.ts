import Decimal from 'decimal.js';
import { addDays } from '@crm/calendar';
import type { ExpectedAnalytics, ExpectedProfile, ScenarioRun } from '@crm/corebank-simulation';

/** Who a scenario's story is about, so its alerts can be told apart from the live traffic's. */
export function describeScenarioCast(run: ScenarioRun): string {
  return [
    `${run.name} (correlation id ${run.correlationId})`,
    ...run.customers.map(
      (c) =>
        `  customer ${c.customerId} (manager ${c.managerId} at ${c.institutionId}): ${c.holdings.join(', ') || 'no holdings'}`,
    ),
    ...(run.analytics ? describeExpectedAnalytics(run.analytics) : []),
  ].join('\n');
}

const change = (before: string, after: string): string => {
  if (new Decimal(before).isZero()) return 'n/a';
  const percent = new Decimal(after).minus(before).dividedBy(before).times(100).toFixed(2);
  return `${percent.startsWith('-') ? '' : '+'}${percent} %`;
};

function describeProfile(profile: ExpectedProfile, businessDate: string): string {
  const { facts, churn, tags } = profile;
  const { aum, transfersToOtherBanks: transfers } = facts;
  const parts = [
    `AUM ${aum.thirtyDaysBefore} on ${addDays(businessDate, -30)}, ${aum.businessDate} on ${businessDate} ` +
      `(${change(aum.thirtyDaysBefore, aum.businessDate)})`,
    `demand deposits ${facts.demandDeposits}${facts.holdsWealthProduct ? ', holds a wealth product' : ', no wealth product'}`,
    `entries: ${facts.entries.last30Days} in the last 30 days, ${facts.entries.last90Days} in the last 90, ` +
      `${facts.entries.previous90Days} in the 90 before the last 30` +
      (facts.lastEntryOn ? `, last on ${facts.lastEntryOn}` : ', none ever'),
    ...(Object.keys(facts.channelsLast90Days).length > 0
      ? [
          `by channel in the last 90 days: ${Object.entries(facts.channelsLast90Days)
            .sort(([, a], [, b]) => b - a)
            .map(([channel, n]) => `${channel} ${n}`)
            .join(', ')}`,
        ]
      : []),
    transfers.count === 0
      ? 'no transfer to another bank'
      : `${transfers.count} transfers to other banks, ${transfers.amount}`,
  ];
  if (facts.closed.length > 0)
    parts.push(`closed ${facts.closed.map((c) => `${c.accountId} (${c.kind}, ${c.reason})`).join(', ')}`);
  if (facts.maturedNotRenewed.length > 0)
    parts.push(`matured, not renewed: ${facts.maturedNotRenewed.join(', ')}`);
  if (churn)
    parts.push(churn.warned ? `churn warning naming ${churn.reasons.join(', ')}` : 'no churn warning');
  if (tags?.given.length) parts.push(`tagged ${tags.given.join(', ')}`);
  if (tags?.notGiven.length) parts.push(`not tagged ${tags.notGiven.join(', ')}`);
  return `    customer ${profile.customerId}: ${parts.join('; ')} (${profile.because})`;
}

/** What an analytics close of business on the story's business date must find, customer by customer. */
export function describeExpectedAnalytics(analytics: ExpectedAnalytics): string[] {
  return [
    `  close of business ${analytics.businessDate} (analytics) must find:`,
    ...analytics.profiles.map((profile) => describeProfile(profile, analytics.businessDate)),
  ];
}
