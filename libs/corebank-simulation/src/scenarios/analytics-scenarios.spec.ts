import Decimal from 'decimal.js';
import {
  AccountClosureReason,
  AccountKind,
  BankTransactionCodes,
  ChurnReason,
  CreditDebitIndicator,
  EventTypes,
  PotentialTag,
  type AccountClosedPayload,
  type AccountOpenedPayload,
  type TransactionPostedPayload,
} from '@crm/contracts';
import { addDays, cstDateOf, daysBetween } from '../core/calendar';
import { ANALYTICS_SCENARIOS, SCENARIOS, buildScenario } from './scenario.registry';
import type { ExpectedFacts, ScenarioRun } from './scenario.types';

/**
 * An independent reading of a run's events, as a warehouse would make it: every account's balance as
 * stated by its opening, its entries (balance after) and its closing, carried forward from day to day.
 */
function factsFromEvents(run: ScenarioRun, customerId: string, businessDate: string): ExpectedFacts {
  const monthBefore = addDays(businessDate, -30);
  const statements = new Map<string, { kind: AccountKind; said: { on: string; balance: Decimal }[] }>();
  const entries: TransactionPostedPayload[] = [];
  const closings: AccountClosedPayload[] = [];
  const state = (accountId: string, on: string, balance: Decimal.Value) =>
    statements.get(accountId)!.said.push({ on, balance: new Decimal(balance) });
  for (const event of run.events) {
    const data = event.data as { customerId?: string };
    if (data.customerId !== customerId) continue;
    if (event.type === EventTypes.AccountOpened) {
      const opened = event.data as AccountOpenedPayload;
      statements.set(opened.accountId, { kind: opened.kind, said: [] });
      state(opened.accountId, cstDateOf(Date.parse(event.time)), opened.balance.amount);
    } else if (event.type === EventTypes.TransactionPosted) {
      const entry = event.data as TransactionPostedPayload;
      entries.push(entry);
      state(entry.accountId, entry.valueDate, entry.balanceAfter.amount);
    } else if (event.type === EventTypes.AccountClosed) {
      const closed = event.data as AccountClosedPayload;
      closings.push(closed);
      state(closed.accountId, closed.closedOn, 0);
    }
  }
  const endOfDay = (accountId: string, date: string) =>
    statements
      .get(accountId)!
      .said.filter((s) => s.on <= date)
      .reduce((_, s) => s.balance, new Decimal(0));
  const sum = (date: string, kinds: AccountKind[] = Object.values(AccountKind)) =>
    [...statements]
      .filter(([, account]) => kinds.includes(account.kind))
      .reduce((total, [accountId]) => total.plus(endOfDay(accountId, date)), new Decimal(0))
      .toFixed(2);
  const inLast30 = (date: string) => date > monthBefore && date <= businessDate;
  const inPrevious90 = (date: string) => date > addDays(monthBefore, -90) && date <= monthBefore;
  const inLast90 = (date: string) => date > addDays(businessDate, -90) && date <= businessDate;
  const channels: ExpectedFacts['channelsLast90Days'] = {};
  for (const { channel } of entries.filter((e) => inLast90(e.valueDate)))
    channels[channel] = (channels[channel] ?? 0) + 1;
  const transfers = entries.filter(
    (e) =>
      inLast30(e.valueDate) &&
      e.creditDebitIndicator === CreditDebitIndicator.Debit &&
      e.bankTransactionCode.startsWith('PMNT-ICDT-') &&
      e.counterparty?.agent.sameBank === false,
  );
  const closed = closings.filter((c) => inLast30(c.closedOn));
  const paidOut = new Set(
    entries
      .filter((e) => e.bankTransactionCode === BankTransactionCodes.DepositMaturity)
      .map((e) => e.counterparty?.accountReference),
  );
  const wealthOpen = [...statements].some(
    ([accountId, account]) =>
      account.kind === AccountKind.WealthProduct &&
      !closings.some((c) => c.accountId === accountId && c.closedOn <= businessDate),
  );
  const facts: ExpectedFacts = {
    aum: { thirtyDaysBefore: sum(monthBefore), businessDate: sum(businessDate) },
    demandDeposits: sum(businessDate, [AccountKind.Current, AccountKind.Savings]),
    holdsWealthProduct: wealthOpen,
    entries: {
      last30Days: entries.filter((e) => inLast30(e.valueDate)).length,
      last90Days: entries.filter((e) => inLast90(e.valueDate)).length,
      previous90Days: entries.filter((e) => inPrevious90(e.valueDate)).length,
    },
    channelsLast90Days: channels,
    transfersToOtherBanks: {
      count: transfers.length,
      amount: transfers.reduce((total, e) => total.plus(e.amount.amount), new Decimal(0)).toFixed(2),
    },
    closed: closed.map(({ accountId, kind, reason, closedOn }) => ({ accountId, kind, reason, closedOn })),
    maturedNotRenewed: closed
      .filter((c) => c.reason === AccountClosureReason.Matured && paidOut.has(c.accountId))
      .map((c) => c.accountId),
  };
  const lastEntry = entries.map((e) => e.valueDate).sort()[entries.length - 1];
  if (lastEntry) facts.lastEntryOn = lastEntry;
  return facts;
}

const monthlyAverage = (facts: ExpectedFacts) => facts.entries.previous90Days / 3;
const fallOf = (facts: ExpectedFacts) =>
  new Decimal(1).minus(new Decimal(facts.aum.businessDate).dividedBy(facts.aum.thirtyDaysBefore));

const STARTS = [
  ['a morning', Date.parse('2025-03-01T09:00:00+08:00')],
  ['just before midnight at a month end', Date.parse('2025-01-31T23:58:00+08:00')],
] as const;

describe('the analytics scenarios', () => {
  it('are named on the command line but are no alert stories', () => {
    expect(ANALYTICS_SCENARIOS.map((s) => s.name)).toEqual([
      'churn-drain',
      'idle-deposits',
      'mobile-activation',
    ]);
    for (const { name } of ANALYTICS_SCENARIOS) expect(SCENARIOS.map((s) => s.name)).not.toContain(name);
  });

  describe.each(
    ANALYTICS_SCENARIOS.flatMap((s) =>
      STARTS.flatMap(([when, start]) => [1, 42].map((seed) => [s.name, when, seed, start])),
    ),
  )('%s starting %s, seed %d', (name, _when, seed, start) => {
    const run = buildScenario(name as string, { seed: seed as number, start: start as number });
    const analytics = run.analytics!;

    it('ends before the close of business it states, some four months of history after its start', () => {
      expect(cstDateOf(Date.parse(run.endsAt)) <= analytics.businessDate).toBe(true);
      expect(daysBetween(cstDateOf(start as number), analytics.businessDate)).toBe(120);
      expect(analytics.profiles.map((p) => p.customerId)).toEqual(run.customerIds);
    });

    it("states each customer's figures as its events give them", () => {
      for (const profile of analytics.profiles) {
        expect({
          customer: profile.customerId,
          facts: factsFromEvents(run, profile.customerId, analytics.businessDate),
        }).toEqual({
          customer: profile.customerId,
          facts: profile.facts,
        });
      }
    });

    it('names another bank only in the transfers it counts', () => {
      const namingOtherBank = run.events
        .filter((e) => e.type === EventTypes.TransactionPosted)
        .map((e) => e.data as TransactionPostedPayload)
        .filter((e) => e.counterparty?.agent.sameBank === false);
      const counted = analytics.profiles.reduce((n, p) => n + p.facts.transfersToOtherBanks.count, 0);
      expect(namingOtherBank).toHaveLength(counted);
    });
  });
});

describe('churn-drain', () => {
  describe.each(STARTS)('starting %s', (_when, start) => {
    const run = buildScenario('churn-drain', { seed: 42, start });
    const [drainer, steady] = run.analytics!.profiles;

    it('drains one customer: AUM down by well over half, transfers, closures, a maturity paid out, activity gone', () => {
      const { facts } = drainer;
      expect(drainer.churn).toEqual({
        warned: true,
        reasons: [
          ChurnReason.AumFall,
          ChurnReason.TransfersToOtherBanks,
          ChurnReason.Closures,
          ChurnReason.MaturityNotRenewed,
          ChurnReason.ActivityDrop,
        ],
      });
      expect(fallOf(facts).gt('0.8')).toBe(true);
      expect(facts.transfersToOtherBanks).toEqual({ count: 6, amount: '780000.00' });
      expect(facts.closed.map((c) => [c.kind, c.reason])).toEqual([
        [AccountKind.TimeDeposit, AccountClosureReason.Matured],
        [AccountKind.Savings, AccountClosureReason.CustomerRequest],
      ]);
      expect(facts.maturedNotRenewed).toEqual([facts.closed[0].accountId]);
      expect(facts.entries.last30Days).toBeLessThan(monthlyAverage(facts) / 2);
    });

    it('keeps the other as before: AUM steady, nothing sent away or closed, as active as before', () => {
      const { facts } = steady;
      expect(steady.churn).toEqual({ warned: false, reasons: [] });
      expect(new Decimal(facts.aum.businessDate).gte(facts.aum.thirtyDaysBefore)).toBe(true);
      expect(facts.transfersToOtherBanks).toEqual({ count: 0, amount: '0.00' });
      expect(facts.closed).toEqual([]);
      expect(facts.maturedNotRenewed).toEqual([]);
      expect(facts.entries.last30Days).toBeGreaterThan(monthlyAverage(facts) * 0.8);
    });
  });
});

describe('idle-deposits', () => {
  describe.each(STARTS)('starting %s', (_when, start) => {
    const run = buildScenario('idle-deposits', { seed: 42, start });
    const { businessDate, profiles } = run.analytics!;
    const idleSince = (facts: ExpectedFacts) =>
      facts.lastEntryOn === undefined ? Infinity : daysBetween(facts.lastEntryOn, businessDate);

    it('tags the holders of large, idle demand deposits who hold no wealth product', () => {
      const tagged = profiles.filter((p) => p.tags?.given.includes(PotentialTag.WealthManagement));
      expect(tagged).toHaveLength(2);
      for (const { facts } of tagged) {
        expect(new Decimal(facts.demandDeposits).gte('500000.00')).toBe(true);
        expect(idleSince(facts)).toBeGreaterThanOrEqual(90);
        expect(facts.entries.last30Days).toBe(0);
        expect(facts.holdsWealthProduct).toBe(false);
      }
    });

    it('tags neither a wealth product holder nor a customer of small deposits in everyday use', () => {
      const untagged = profiles.filter((p) => p.tags?.notGiven.includes(PotentialTag.WealthManagement));
      expect(untagged.map((p) => p.tags!.given)).toEqual([[], []]);
      const [investor, earner] = untagged.map((p) => p.facts);
      expect(investor.holdsWealthProduct).toBe(true);
      expect(idleSince(investor)).toBeGreaterThanOrEqual(90);
      expect(new Decimal(earner.demandDeposits).lt('100000.00')).toBe(true);
      expect(earner.entries.last30Days).toBeGreaterThan(20);
    });
  });
});

describe('mobile-activation', () => {
  describe.each(STARTS)('starting %s', (_when, start) => {
    const run = buildScenario('mobile-activation', { seed: 42, start });
    const [counterGoer, mobileUser] = run.analytics!.profiles;
    const remote = (facts: ExpectedFacts) =>
      (facts.channelsLast90Days.mobile ?? 0) + (facts.channelsLast90Days.online ?? 0);

    it('tags an active customer who never uses mobile or online banking', () => {
      expect(counterGoer.tags).toEqual({ given: [PotentialTag.MobileActivation], notGiven: [] });
      expect(counterGoer.facts.entries.last90Days).toBeGreaterThan(60);
      expect(remote(counterGoer.facts)).toBe(0);
      expect(Object.keys(counterGoer.facts.channelsLast90Days).sort()).toEqual([
        'atm',
        'batch',
        'counter',
        'pos',
      ]);
    });

    it('does not tag one as active by mobile', () => {
      expect(mobileUser.tags).toEqual({ given: [], notGiven: [PotentialTag.MobileActivation] });
      expect(mobileUser.facts.entries.last90Days).toBeGreaterThan(60);
      expect(remote(mobileUser.facts)).toBeGreaterThan(mobileUser.facts.entries.last90Days / 2);
    });
  });
});
