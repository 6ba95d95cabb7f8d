import { EntityManager } from 'typeorm';
import type { CampaignRepository } from '../campaigns/campaign.repository';
import type { ContactLedgerRepository } from '../ledger/contact-ledger.repository';
import type { TargetRepository } from '../targets/target.repository';
import type { TaskRepository } from '../tasks/task.repository';

describe('campaigns, targets, tasks and the ledger are read only within a resolved scope', () => {
  // The assertions are the compiler's: `tsc` (npm test's type-check) fails when an @ts-expect-error line compiles.
  it('does not type-check without a scope or with one written by hand', () => {
    const tx = {} as EntityManager;
    const reads = (
      campaigns: CampaignRepository,
      targets: TargetRepository,
      tasks: TaskRepository,
      ledger: ContactLedgerRepository,
    ) => [
      // @ts-expect-error a campaign read without a scope
      campaigns.findOne(tx, 'CMP-000000000000'),
      // @ts-expect-error a scope written by hand is not a DataScope
      campaigns.list({ kind: 'bank' }, { limit: 10 }),
      // @ts-expect-error customers checked against a hand-written subtree
      targets.coveredBy(tx, { kind: 'institutions', institutionIds: ['OUT-1'] }, ['C1']),
      // @ts-expect-error a manager's tasks without a scope
      tasks.list({ limit: 10 }),
      // @ts-expect-error ledger figures without a scope
      ledger.figures({ from: new Date(), to: new Date() }),
    ];
    expect(reads).toBeInstanceOf(Function);
  });
});
