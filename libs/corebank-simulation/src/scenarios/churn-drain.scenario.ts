import Decimal from 'decimal.js';
import { AccountKind, AlertKind, ChurnReason } from '@crm/contracts';
import { CustomerBook } from './customer-book';
import { everydayBanking, tellDays, type Household, type Planned } from './everyday-banking';
import type { ScenarioDefinition } from './scenario.types';

/** The close of business the story is told for: this many days after the start day. */
const CHURN_DRAIN_BUSINESS_DAY = 120;
/** The drain happens in the last 30 days before it; up to here the two customers live alike. */
const LAST_ORDINARY_DAY = CHURN_DRAIN_BUSINESS_DAY - 30;
const DRAINER_TD_MATURES = 100;
const STEADY_TD_MATURES = 105;
/** The drainer's transfers to other banks: a few days apart, never five in 24 h nor 500000.00 at once. */
const DRAIN_TRANSFERS = [
  { day: 92, hours: 10, minutes: 15, from: 'savings', amount: '150000.00', channel: 'mobile' },
  { day: 95, hours: 10, minutes: 40, from: 'savings', amount: '120000.00', channel: 'mobile' },
  { day: 101, hours: 9, minutes: 30, from: 'current', amount: '300000.00', channel: 'counter' },
  { day: 102, hours: 9, minutes: 45, from: 'current', amount: '100000.00', channel: 'counter' },
  { day: 110, hours: 15, minutes: 0, from: 'savings', amount: '80000.00', channel: 'counter' },
  { day: 116, hours: 14, minutes: 20, from: 'current', amount: '30000.00', channel: 'mobile' },
] as const;
const DRAINED = DRAIN_TRANSFERS.reduce((sum, t) => sum.plus(t.amount), new Decimal(0)).toFixed(2);
/** The day the emptied savings account is closed, after its last transfer. */
const SAVINGS_CLOSED = 110;

export const churnDrainScenario: ScenarioDefinition = {
  name: 'churn-drain',
  summary:
    `Four months of history for a close of business ${CHURN_DRAIN_BUSINESS_DAY} days after the start. Two ` +
    'salaried customers of one outlet, each with current, savings and a 12-month time deposit, bank alike for 90 ' +
    'days. In the last 30 the drainer moves salary and everyday banking away, sends ' +
    `${DRAIN_TRANSFERS.length} transfers to own accounts at other banks (${DRAINED}), lets the time deposit ` +
    'mature unrenewed (paid out, then sent away) and closes the savings: AUM falls by some 90 %, a churn warning ' +
    'naming the AUM fall, the transfers, the closures, the maturity not renewed and the activity drop. The steady ' +
    'one goes on as before and renews: no warning. Alerts: both maturity reminders and the savings closure.',
  tell(story) {
    const drainer = story.individual({ minAge: 40, maxAge: 55 });
    const dCurrent = story.currentAccount(drainer, '60000.00');
    const dSavings = story.savingsAccount(drainer, '350000.00');
    const dDeposit = story.maturingProduct(
      drainer,
      AccountKind.TimeDeposit,
      '400000.00',
      12,
      DRAINER_TD_MATURES,
    );
    const steady = story.individual({ minAge: 40, maxAge: 55 });
    const sCurrent = story.currentAccount(steady, '45000.00');
    const sSavings = story.savingsAccount(steady, '200000.00');
    const sDeposit = story.maturingProduct(
      steady,
      AccountKind.TimeDeposit,
      '300000.00',
      12,
      STEADY_TD_MATURES,
    );

    const drain = new CustomerBook(story, drainer, [dCurrent, dSavings, dDeposit]);
    const stay = new CustomerBook(story, steady, [sCurrent, sSavings, sDeposit]);
    const drainerHabits: Household = {
      book: drain,
      current: dCurrent,
      salary: '18600.00',
      salaryDay: 10,
      shopsBy: 'pos',
      transfersBy: 'mobile',
    };
    const steadyHabits: Household = {
      book: stay,
      current: sCurrent,
      salary: '15200.00',
      salaryDay: 25,
      shopsBy: 'mobile',
      transfersBy: 'mobile',
    };

    const drainPlan = new Map<number, Planned[]>();
    const plan = (day: number, planned: Planned) =>
      drainPlan.set(day, [...(drainPlan.get(day) ?? []), planned]);
    for (const { day, hours, minutes, from, amount, channel } of DRAIN_TRANSFERS) {
      const account = from === 'savings' ? dSavings : dCurrent;
      plan(day, { hours, minutes, act: (at) => drain.sendToOtherBank(account, amount, at, channel) });
    }
    plan(DRAINER_TD_MATURES, {
      hours: 7,
      minutes: 30,
      act: (at) => drain.mature(dDeposit, at, { payout: dCurrent }),
    });
    plan(SAVINGS_CLOSED, { hours: 16, minutes: 0, act: (at) => drain.closeAtRequest(dSavings, at) });
    // Declared before the renewal moves the steady one's maturity date: a reminder names the date it was due.
    story.expect(
      AlertKind.TimeDepositMaturity,
      drainer,
      dDeposit.accountId,
      dDeposit.maturityDate!,
      'the time deposit matures on day 100 (lead 7)',
    );
    story.expect(
      AlertKind.TimeDepositMaturity,
      steady,
      sDeposit.accountId,
      sDeposit.maturityDate!,
      'the time deposit matures on day 105 (lead 7)',
    );

    tellDays(story, [drain, stay], 1, CHURN_DRAIN_BUSINESS_DAY, (day) => [
      ...(day <= LAST_ORDINARY_DAY ? everydayBanking(story, drainerHabits, day) : (drainPlan.get(day) ?? [])),
      ...everydayBanking(story, steadyHabits, day),
      ...(day === STEADY_TD_MATURES
        ? [{ hours: 7, minutes: 30, act: (at: number) => stay.mature(sDeposit, at, { renew: true }) }]
        : []),
    ]);

    const businessDate = story.dayAfterStart(CHURN_DRAIN_BUSINESS_DAY);
    story.expectAnalytics({
      businessDate,
      profiles: [
        {
          customerId: drainer.profile.customerId,
          because:
            `drains to other banks in the last 30 days: ${DRAIN_TRANSFERS.length} transfers out (${DRAINED}), ` +
            'the time deposit paid out and sent away, the savings closed, everyday banking gone',
          facts: drain.factsAsOf(businessDate),
          churn: {
            warned: true,
            reasons: [
              ChurnReason.AumFall,
              ChurnReason.TransfersToOtherBanks,
              ChurnReason.Closures,
              ChurnReason.MaturityNotRenewed,
              ChurnReason.ActivityDrop,
            ],
          },
        },
        {
          customerId: steady.profile.customerId,
          because: 'banks as before throughout and renews the time deposit at maturity',
          facts: stay.factsAsOf(businessDate),
          churn: { warned: false, reasons: [] },
        },
      ],
    });

    story.expect(
      AlertKind.DepositAccountClosed,
      drainer,
      dSavings.accountId,
      story.dayAfterStart(SAVINGS_CLOSED),
      'the emptied savings account closed at the customer’s request',
    );
  },
};
