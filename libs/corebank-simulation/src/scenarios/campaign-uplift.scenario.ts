import type { KnownCustomer } from '../campaigns/known-customer';
import type { ScenarioDefinition } from './scenario.types';

/** Customers in the segment: enough for a 10 % control group to measure its conversion (about ±8 points). */
export const UPLIFT_SEGMENT_SIZE = 1000;

export const campaignUpliftScenario: ScenarioDefinition = {
  name: 'campaign-uplift',
  summary:
    `Registers ${UPLIFT_SEGMENT_SIZE} individuals at one outlet, each with a current account: a campaign's ` +
    'target segment. The simulator then listens to crm.campaign.contact: the segment opens the product at a ' +
    'base rate of its own accord and contacted customers at a lift on top, so treatment and control ' +
    'conversion are known in advance.',
  tell(story) {
    const members: KnownCustomer[] = [];
    for (let i = 0; i < UPLIFT_SEGMENT_SIZE; i++) {
      const customer = story.individual({ minAge: 25, maxAge: 65 });
      const balance = story.prng.amount({ median: '20000', sigma: 1.0, min: '100.00', max: '500000.00' });
      members.push({ customer, settlement: story.currentAccount(customer, balance) });
    }
    story.targetSegment(members);
  },
};
