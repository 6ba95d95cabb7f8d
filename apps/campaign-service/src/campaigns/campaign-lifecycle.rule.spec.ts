import { CampaignAction, CampaignStatus, transition } from './campaign-lifecycle.rule';

const authors = { createdBy: 'alice', submittedBy: 'alice' };

describe('transition', () => {
  it('walks the whole life: draft, submitted, approved, running, paused, running, completed', () => {
    const steps: [CampaignStatus, CampaignAction, string][] = [
      [CampaignStatus.Draft, CampaignAction.Submit, 'alice'],
      [CampaignStatus.Submitted, CampaignAction.Approve, 'bob'],
      [CampaignStatus.Approved, CampaignAction.Launch, 'alice'],
      [CampaignStatus.Running, CampaignAction.Pause, 'alice'],
      [CampaignStatus.Paused, CampaignAction.Resume, 'bob'],
      [CampaignStatus.Running, CampaignAction.Complete, 'alice'],
    ];
    const reached = steps.map(([status, action, user]) => transition(status, action, user, authors));
    expect(reached.map((v) => (v.allowed ? v.to : v.reason))).toEqual([
      'submitted',
      'approved',
      'running',
      'paused',
      'running',
      'completed',
    ]);
  });

  it('refuses approval by whoever wrote or submitted the campaign', () => {
    expect(transition(CampaignStatus.Submitted, CampaignAction.Approve, 'alice', authors)).toEqual({
      allowed: false,
      reason: 'four-eyes',
    });
    const submittedByOther = { createdBy: 'alice', submittedBy: 'carol' };
    expect(
      transition(CampaignStatus.Submitted, CampaignAction.Approve, 'carol', submittedByOther).allowed,
    ).toBe(false);
    expect(
      transition(CampaignStatus.Submitted, CampaignAction.Approve, 'bob', submittedByOther).allowed,
    ).toBe(true);
  });

  it('sends a rejected campaign back to draft', () => {
    expect(transition(CampaignStatus.Submitted, CampaignAction.Reject, 'bob', authors)).toEqual({
      allowed: true,
      to: CampaignStatus.Draft,
    });
  });

  it.each([
    [CampaignStatus.Draft, CampaignAction.Launch],
    [CampaignStatus.Draft, CampaignAction.Approve],
    [CampaignStatus.Running, CampaignAction.Submit],
    [CampaignStatus.Completed, CampaignAction.Resume],
    [CampaignStatus.Completed, CampaignAction.Cancel],
    [CampaignStatus.Cancelled, CampaignAction.Launch],
  ])('refuses %s → %s', (status, action) => {
    expect(transition(status, action, 'bob', authors)).toEqual({
      allowed: false,
      reason: 'not-from-this-status',
    });
  });
});
