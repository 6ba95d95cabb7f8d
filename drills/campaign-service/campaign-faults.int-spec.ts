import { expectServiceSurvivesFaults } from '../lib/projection-drill';
import { CAMPAIGN_DRILL } from './campaign-drill';

/** Contacts of the campaign (named as in the outcome) with that outcome. */
const contacts = (outcome: string[], campaign: string, result: string): number =>
  outcome
    .filter((row) => row.startsWith('contact '))
    .map((row) => JSON.parse(row.slice('contact '.length)) as { campaign_id: string; outcome: string })
    .filter((c) => c.campaign_id === `<${campaign}>` && c.outcome === result).length;

/**
 * The fault drill of drills/run-fault-drill.ts at CI size: 3,000 events through a fault-free reference
 * instance and, side by side, instances killed with SIGKILL and restarted, whose Redis keys (the contact
 * counters) are wiped, or whose Postgres connections are cut, half-way. Postgres itself is not restarted
 * here: other test files use it at the same time.
 */
describe('campaign-service under faults: its projections and contact ledger equal the fault-free run row for row', () => {
  it('loses and doubles no contact across kill -9, a Redis wipe and cut Postgres connections', async () => {
    const outcome = await expectServiceSurvivesFaults(CAMPAIGN_DRILL, {
      size: 3_000,
      faults: ['kill', 'redis', 'postgres'],
    });

    // The scenario happened: pushes to fresh customers, SMS to those whose push cap the warm-up used up.
    expect(contacts(outcome, 'warm-up', 'sent')).toBeGreaterThan(10);
    expect(contacts(outcome, 'push', 'sent')).toBeGreaterThan(10);
    expect(contacts(outcome, 'push', 'suppressed')).toBe(contacts(outcome, 'warm-up', 'sent'));
    expect(contacts(outcome, 'sms', 'sent')).toBe(contacts(outcome, 'warm-up', 'sent'));
    expect(contacts(outcome, 'sms', 'suppressed')).toBe(contacts(outcome, 'push', 'sent'));
  }, 300_000);
});
