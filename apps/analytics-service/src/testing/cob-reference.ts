import { addDays } from '@crm/calendar';
import { Money } from '@crm/persistence';
import type { ContributionSpreads } from '../indicators/contribution.rule';
import { lifecycleStageOf } from '../profiles/lifecycle-stage.rule';
import { rfmSegmentOf } from '../profiles/rfm.rule';
import type { ValueTierThresholds } from '../profiles/value-tier.rule';
import { BankStory, StoryCard, StoryHolding } from './bank-story.fixture';
import { calendar } from './warehouse.fixture';

/**
 * The close of business computed again from a story, the plain way: every calendar day walked one by one,
 * every holding's balance looked up on each, decimals summed in TypeScript. Nothing of the service's SQL is
 * used; the lifecycle and segment rules are the pure functions the SQL is checked against.
 */

type Row = Record<string, string | number | boolean | null>;

const DEMAND = ['current', 'savings'];
const DEPOSITS = [...DEMAND, 'time-deposit'];
const ASSETS = [...DEPOSITS, 'wealth-product'];
const CHANNELS = ['counter', 'mobile', 'atm', 'pos', 'online'];
const SPREAD_KEY: Record<string, keyof ContributionSpreads> = {
  current: 'current',
  savings: 'savings',
  'time-deposit': 'timeDeposit',
  'wealth-product': 'wealthProduct',
  loan: 'loan',
};

const zero = () => new Money(0);
const fixed2 = (m: InstanceType<typeof Money>) => m.toFixed(2);

function* daysFrom(from: string, to: string): Generator<string> {
  for (let d = from; d <= to; d = addDays(d, 1)) yield d;
}

/** A holding's balance at the end of `day`: the latest stated on or before it, nothing before the first. */
function balanceOn(h: StoryHolding, day: string): InstanceType<typeof Money> {
  let found: string | null = null;
  let foundDate = '';
  for (const [date, balance] of h.endOfDay)
    if (date <= day && date >= foundDate) [found, foundDate] = [balance, date];
  return new Money(found ?? 0);
}

function cardOwedAt(card: StoryCard, day: string): InstanceType<typeof Money> {
  const end = calendar.startOf(addDays(day, 1));
  const stated = card.stated
    .filter((s) => s.at < end)
    .sort((a, b) => a.at - b.at)
    .at(-1);
  let owed = new Money(stated?.balance ?? 0);
  for (const s of card.spends) if (s.date <= day && (!stated || s.at > stated.at)) owed = owed.plus(s.amount);
  return owed;
}

const firstOf = (date: string, months: 'month' | 'quarter' | 'year') => {
  const [y, m] = date.split('-').map(Number);
  const month = months === 'year' ? 1 : months === 'quarter' ? m - ((m - 1) % 3) : m;
  return `${y}-${String(month).padStart(2, '0')}-01`;
};

/** Each customer's indicator row of `date`, keyed by customer id, in customer_indicator's columns. */
export function referenceIndicators(
  story: BankStory,
  date: string,
  spreads: ContributionSpreads,
): Map<string, Row> {
  const rows = new Map<string, Row>();
  const windows = {
    mtd: firstOf(date, 'month'),
    qtd: firstOf(date, 'quarter'),
    ytd: firstOf(date, 'year'),
    last90: addDays(date, -89),
  };
  for (const c of story.customers.values()) {
    if (c.registeredOn > date) continue;
    const holdings = [...story.holdings.values()].filter(
      (h) => h.customerId === c.customerId && h.currency === 'CNY',
    );
    const cards = [...story.cards.values()].filter((k) => k.customerId === c.customerId);
    const ofKinds = (kinds: string[]) => holdings.filter((h) => kinds.includes(h.kind));
    const onDay = (kinds: string[], day: string) =>
      ofKinds(kinds).reduce((sum, h) => sum.plus(balanceOn(h, day)), zero());
    const average = (kinds: string[], from: string, to = date) => {
      let sum = zero();
      let n = 0;
      for (const day of daysFrom(from, to)) [sum, n] = [sum.plus(onDay(kinds, day)), n + 1];
      return fixed2(sum.dividedBy(n));
    };

    const card = cards
      .filter((k) => k.issuedOn <= date)
      .reduce((sum, k) => sum.plus(cardOwedAt(k, date)), zero());
    const loans = onDay(['loan'], date);
    const [demand, time, wealth] = [
      onDay(DEMAND, date),
      onDay(['time-deposit'], date),
      onDay(['wealth-product'], date),
    ];

    const held = [
      ...holdings
        .filter((h) => h.since <= date)
        .map((h) => ({
          kind: h.kind,
          product: h.productCode,
          since: h.since,
          held: !h.until || h.until > date,
        })),
      ...cards
        .filter((k) => k.issuedOn <= date)
        .map((k) => ({ kind: 'card', product: k.productCode, since: k.issuedOn, held: true })),
    ];
    const holdingNow = held.filter((h) => h.held);
    const kinds = new Set(holdingNow.map((h) => h.kind)).size;

    const last90Days = [...daysFrom(windows.last90, date)];
    const hadBalance90d =
      !card.isZero() || holdings.some((h) => last90Days.some((day) => !balanceOn(h, day).isZero()));

    const txns = story.transactions.filter(
      (t) => t.customerId === c.customerId && t.date <= date && CHANNELS.includes(t.channel),
    );
    const within = (from: string) => txns.filter((t) => t.date >= from);
    const amount = (ts: typeof txns) =>
      fixed2(ts.filter((t) => t.currency === 'CNY').reduce((s, t) => s.plus(t.amount), zero()));
    const last =
      txns
        .map((t) => t.date)
        .sort()
        .at(-1) ?? null;
    const recent = within(windows.last90);
    const share = (channel: string) =>
      recent.length === 0
        ? null
        : new Money(recent.filter((t) => t.channel === channel).length).dividedBy(recent.length).toFixed(4);

    const spreadOf = (kind: string) => spreads[SPREAD_KEY[kind]];
    let marginDay = new Money(card).times(spreads.card);
    for (const h of holdings) marginDay = marginDay.plus(balanceOn(h, date).times(spreadOf(h.kind)));
    let marginMtd = zero();
    for (const day of daysFrom(windows.mtd, date)) {
      marginMtd = marginMtd.plus(card.times(spreads.card));
      for (const h of holdings) marginMtd = marginMtd.plus(balanceOn(h, day).times(spreadOf(h.kind)));
    }

    rows.set(c.customerId, {
      customer_id: c.customerId,
      primary_institution_id: c.institutionId,
      primary_manager_id: c.managerId,
      demand_deposits: fixed2(demand),
      time_deposits: fixed2(time),
      wealth: fixed2(wealth),
      deposits: fixed2(demand.plus(time)),
      aum: fixed2(demand.plus(time).plus(wealth)),
      loan_balance: fixed2(loans),
      card_balance: fixed2(card),
      liabilities: fixed2(loans.plus(card)),
      deposits_avg_mtd: average(DEPOSITS, windows.mtd),
      deposits_avg_qtd: average(DEPOSITS, windows.qtd),
      deposits_avg_ytd: average(DEPOSITS, windows.ytd),
      aum_avg_mtd: average(ASSETS, windows.mtd),
      aum_avg_qtd: average(ASSETS, windows.qtd),
      aum_avg_ytd: average(ASSETS, windows.ytd),
      aum_avg_90d: average(ASSETS, windows.last90),
      aum_avg_prev_90d: average(ASSETS, addDays(date, -179), addDays(date, -90)),
      had_balance_90d: hadBalance90d,
      first_held_on: held.map((h) => h.since).sort()[0] ?? null,
      holdings_held: holdingNow.length,
      asset_accounts_held: holdingNow.filter((h) => ASSETS.includes(h.kind)).length,
      kinds_held: kinds,
      products_held: new Set(holdingNow.map((h) => h.product)).size,
      cross_sell_ratio: new Money(kinds).dividedBy(6).toFixed(4),
      txn_count_30d: within(addDays(date, -29)).length,
      txn_amount_30d: amount(within(addDays(date, -29))),
      txn_count_90d: recent.length,
      txn_amount_90d: amount(recent),
      last_txn_date: last,
      recency_days: last === null ? null : Math.round((Date.parse(date) - Date.parse(last)) / 86_400_000),
      share_counter: share('counter'),
      share_mobile: share('mobile'),
      share_atm: share('atm'),
      share_pos: share('pos'),
      share_online: share('online'),
      contribution_day: fixed2(marginDay.dividedBy(365)),
      contribution_mtd: fixed2(marginMtd.dividedBy(365)),
    });
  }
  return rows;
}

/** Each customer's profile from the reference indicators: tiers by plain comparison, RFM quintiles by counting. */
export function referenceProfiles(
  indicators: Map<string, Row>,
  date: string,
  thresholds: ValueTierThresholds,
): Map<string, Row> {
  const scored = [...indicators.values()].filter((r) => r.last_txn_date !== null);
  const quintile = (value: (r: Row) => InstanceType<typeof Money>, r: Row) => {
    const worse = scored.filter((o) => value(o).lt(value(r))).length;
    return 1 + Math.floor((5 * worse) / scored.length);
  };
  const recency = (r: Row) => new Money(r.recency_days as number).negated();
  const frequency = (r: Row) => new Money(r.txn_count_90d as number);
  const monetary = (r: Row) => new Money(r.txn_amount_90d as string);
  const profiles = new Map<string, Row>();
  for (const r of indicators.values()) {
    const average = new Money(r.aum_avg_mtd as string);
    const tier =
      r.asset_accounts_held === 0 && average.isZero()
        ? null
        : average.gte(thresholds.top)
          ? 'top'
          : average.gte(thresholds.important)
            ? 'important'
            : average.gte(thresholds.core)
              ? 'core'
              : 'mass';
    const rfm =
      r.last_txn_date === null ? null : [quintile(recency, r), quintile(frequency, r), quintile(monetary, r)];
    profiles.set(r.customer_id as string, {
      customer_id: r.customer_id,
      value_tier: tier,
      lifecycle_stage: lifecycleStageOf({
        businessDate: date,
        firstHeldOn: r.first_held_on as string | null,
        holdingsHeld: r.holdings_held as number,
        hadBalance90d: r.had_balance_90d as boolean,
        transactions90d: r.txn_count_90d as number,
        aumAvg90d: r.aum_avg_90d as string,
        aumAvgPrev90d: r.aum_avg_prev_90d as string,
      }),
      rfm_recency: rfm?.[0] ?? null,
      rfm_frequency: rfm?.[1] ?? null,
      rfm_monetary: rfm?.[2] ?? null,
      rfm_segment: rfm ? rfmSegmentOf(rfm[0], rfm[1], rfm[2]) : null,
    });
  }
  return profiles;
}
