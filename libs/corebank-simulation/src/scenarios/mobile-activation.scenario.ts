import { PotentialTag } from '@crm/contracts';
import { CustomerBook } from './customer-book';
import { everydayBanking, tellDays, type Household } from './everyday-banking';
import type { ScenarioDefinition } from './scenario.types';

/** The close of business the story is told for: this many days after the start day. */
const MOBILE_ACTIVATION_BUSINESS_DAY = 120;

export const mobileActivationScenario: ScenarioDefinition = {
  name: 'mobile-activation',
  summary:
    `Four months of history for a close of business ${MOBILE_ACTIVATION_BUSINESS_DAY} days after the start: two ` +
    'salaried customers of one outlet banking every day (some 28 entries a month). Mobile-banking activation ' +
    'potential: the one who pays in shops by card at the terminal, withdraws at the ATM and sends money at the ' +
    'counter, never by mobile or online. Not tagged: the one who pays and sends by mobile. No alert.',
  tell(story) {
    const counterGoer = story.individual({ minAge: 50, maxAge: 65 });
    const counterCurrent = story.currentAccount(counterGoer, '60000.00');
    const counterSavings = story.savingsAccount(counterGoer, '80000.00');
    const mobileUser = story.individual({ minAge: 25, maxAge: 40 });
    const mobileCurrent = story.currentAccount(mobileUser, '40000.00');

    const counterBook = new CustomerBook(story, counterGoer, [counterCurrent, counterSavings]);
    const mobileBook = new CustomerBook(story, mobileUser, [mobileCurrent]);
    const counterHabits: Household = {
      book: counterBook,
      current: counterCurrent,
      salary: '11000.00',
      salaryDay: 5,
      shopsBy: 'pos',
      transfersBy: 'counter',
    };
    const mobileHabits: Household = {
      book: mobileBook,
      current: mobileCurrent,
      salary: '14000.00',
      salaryDay: 10,
      shopsBy: 'mobile',
      transfersBy: 'mobile',
    };
    tellDays(story, [counterBook, mobileBook], 1, MOBILE_ACTIVATION_BUSINESS_DAY, (day) => [
      ...everydayBanking(story, counterHabits, day),
      ...everydayBanking(story, mobileHabits, day),
    ]);

    const businessDate = story.dayAfterStart(MOBILE_ACTIVATION_BUSINESS_DAY);
    const mobile = PotentialTag.MobileActivation;
    story.expectAnalytics({
      businessDate,
      profiles: [
        {
          customerId: counterGoer.profile.customerId,
          because: 'banks every day, at the terminal, the ATM and the counter, never by mobile or online',
          facts: counterBook.factsAsOf(businessDate),
          tags: { given: [mobile], notGiven: [] },
        },
        {
          customerId: mobileUser.profile.customerId,
          because: 'pays and sends money by mobile',
          facts: mobileBook.factsAsOf(businessDate),
          tags: { given: [], notGiven: [mobile] },
        },
      ],
    });
  },
};
