import { buildScenario } from '@crm/corebank-simulation';
import { describeScenarioCast } from './scenario-cast';

const START = Date.parse('2025-03-01T09:00:00+08:00');

describe('describeScenarioCast', () => {
  it('names an alert story’s customers and holdings, and no close of business', () => {
    const run = buildScenario('large-inflow', { seed: 7, start: START });
    const [customer] = run.customers;
    expect(describeScenarioCast(run).split('\n')).toEqual([
      `large-inflow (correlation id ${run.correlationId})`,
      `  customer ${customer.customerId} (manager ${customer.managerId} at ${customer.institutionId}): ${customer.holdings.join(', ')}`,
    ]);
  });

  it('prints what the close of business must find about the drainer and the steady customer', () => {
    const run = buildScenario('churn-drain', { seed: 42, start: START });
    const [drainer, steady] = run.analytics!.profiles;
    const lines = describeScenarioCast(run).split('\n');
    expect(lines).toContain('  close of business 2025-06-29 (analytics) must find:');
    const about = (customerId: string) => lines.find((l) => l.startsWith(`    customer ${customerId}: `))!;
    const { aum } = drainer.facts;
    expect(about(drainer.customerId)).toContain(
      `AUM ${aum.thirtyDaysBefore} on 2025-05-30, ${aum.businessDate} on 2025-06-29 (-`,
    );
    expect(about(drainer.customerId)).toContain('6 transfers to other banks, 780000.00');
    expect(about(drainer.customerId)).toContain(
      `matured, not renewed: ${drainer.facts.maturedNotRenewed[0]}`,
    );
    expect(about(drainer.customerId)).toContain(
      'churn warning naming aum-fall, transfers-to-other-banks, closures, maturity-not-renewed, activity-drop',
    );
    expect(about(steady.customerId)).toContain('no transfer to another bank');
    expect(about(steady.customerId)).toContain('; no churn warning');
  });

  it('prints which customers must carry the wealth-management tag and which must not', () => {
    const run = buildScenario('idle-deposits', { seed: 42, start: START });
    const lines = describeScenarioCast(run).split('\n');
    const [saver, owner, investor, earner] = run.analytics!.profiles.map((p) =>
      lines.find((l) => l.startsWith(`    customer ${p.customerId}: `))!,
    );
    expect(saver).toContain('; tagged wealth-management');
    expect(saver).toContain('no wealth product');
    expect(owner).toContain('none ever; no transfer to another bank; tagged wealth-management');
    expect(investor).toContain('holds a wealth product');
    expect(investor).toContain('; not tagged wealth-management');
    expect(earner).toContain('; not tagged wealth-management');
  });

  it('prints the channels an active customer uses, and who must get the mobile-activation tag', () => {
    const run = buildScenario('mobile-activation', { seed: 42, start: START });
    const lines = describeScenarioCast(run).split('\n');
    const [counterGoer, mobileUser] = run.analytics!.profiles.map((p) =>
      lines.find((l) => l.startsWith(`    customer ${p.customerId}: `))!,
    );
    expect(counterGoer).toMatch(
      /; by channel in the last 90 days: pos \d+, batch \d+, atm \d+, counter \d+;/,
    );
    expect(counterGoer).toContain('; tagged mobile-activation');
    expect(mobileUser).toMatch(/; by channel in the last 90 days: mobile \d+, /);
    expect(mobileUser).toContain('; not tagged mobile-activation');
  });
});
