import { AccountKind, BankTransactionCodes, PotentialTag } from '@crm/contracts';
import { CustomerBook } from './customer-book';
import { everydayBanking, tellDays, type Household } from './everyday-banking';
import type { ScenarioDefinition } from './scenario.types';

/** The close of business the story is told for: this many days after the start day. */
const IDLE_DEPOSITS_BUSINESS_DAY = 120;
/** The saver's last entry; from here to the close of business the money lies still. */
const SAVER_LAST_SEEN = 6;
/** The wealth product held by the control runs beyond the story (no maturity reminder). */
const WEALTH_MATURES = 200;

export const idleDepositsScenario: ScenarioDefinition = {
  name: 'idle-deposits',
  summary:
    `Four months of history for a close of business ${IDLE_DEPOSITS_BUSINESS_DAY} days after the start, four ` +
    'customers of one outlet. Wealth-management potential: a saver who leaves 1539000.00 on savings and current ' +
    `after the last entry on day ${SAVER_LAST_SEEN}, and a business owner with 800000.00 on a current account that never ` +
    'moves, neither holding a wealth product. Not tagged: an idle saver of 920000.00 who already holds a wealth ' +
    'product, and a salaried household banking every day with under 100000.00. No alert.',
  tell(story) {
    const saver = story.individual({ minAge: 55, maxAge: 70 });
    const saverCurrent = story.currentAccount(saver, '42000.00');
    const saverSavings = story.savingsAccount(saver, '1500000.00');
    const owner = story.individual({ minAge: 40, maxAge: 55 });
    const ownerCurrent = story.currentAccount(owner, '800000.00');
    const investor = story.individual({ minAge: 50, maxAge: 65 });
    const investorCurrent = story.currentAccount(investor, '20000.00');
    const investorSavings = story.savingsAccount(investor, '900000.00');
    const investorWealth = story.maturingProduct(
      investor,
      AccountKind.WealthProduct,
      '500000.00',
      12,
      WEALTH_MATURES,
    );
    const earner = story.individual({ minAge: 28, maxAge: 45 });
    const earnerCurrent = story.currentAccount(earner, '35000.00');
    const earnerSavings = story.savingsAccount(earner, '20000.00');

    const saverBook = new CustomerBook(story, saver, [saverCurrent, saverSavings]);
    const ownerBook = new CustomerBook(story, owner, [ownerCurrent]);
    const investorBook = new CustomerBook(story, investor, [
      investorCurrent,
      investorSavings,
      investorWealth,
    ]);
    const earnerBook = new CustomerBook(story, earner, [earnerCurrent, earnerSavings]);
    const earnerHabits: Household = {
      book: earnerBook,
      current: earnerCurrent,
      salary: '12000.00',
      salaryDay: 15,
      shopsBy: 'mobile',
      transfersBy: 'mobile',
    };

    tellDays(
      story,
      [saverBook, ownerBook, investorBook, earnerBook],
      1,
      IDLE_DEPOSITS_BUSINESS_DAY,
      (day) => [
        ...(day === SAVER_LAST_SEEN
          ? [
              {
                hours: 10,
                minutes: 20,
                act: (at: number) =>
                  saverBook.debit(saverCurrent, '3000.00', at, {
                    code: BankTransactionCodes.CashWithdrawal,
                    channel: 'counter',
                  }),
              },
            ]
          : []),
        ...everydayBanking(story, earnerHabits, day),
      ],
    );

    const businessDate = story.dayAfterStart(IDLE_DEPOSITS_BUSINESS_DAY);
    const wealth = PotentialTag.WealthManagement;
    story.expectAnalytics({
      businessDate,
      profiles: [
        {
          customerId: saver.profile.customerId,
          because: `large demand deposits untouched since day ${SAVER_LAST_SEEN}, no wealth product`,
          facts: saverBook.factsAsOf(businessDate),
          tags: { given: [wealth], notGiven: [] },
        },
        {
          customerId: owner.profile.customerId,
          because: 'a large current account with no entry at all, no wealth product',
          facts: ownerBook.factsAsOf(businessDate),
          tags: { given: [wealth], notGiven: [] },
        },
        {
          customerId: investor.profile.customerId,
          because: 'large idle savings, but already holds a wealth product',
          facts: investorBook.factsAsOf(businessDate),
          tags: { given: [], notGiven: [wealth] },
        },
        {
          customerId: earner.profile.customerId,
          because: 'small deposits in everyday use',
          facts: earnerBook.factsAsOf(businessDate),
          tags: { given: [], notGiven: [wealth] },
        },
      ],
    });
  },
};
