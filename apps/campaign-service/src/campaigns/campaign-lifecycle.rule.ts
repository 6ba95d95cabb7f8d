/** Where a campaign is in its life. Wire names (REST, stored). */
export const CampaignStatus = {
  Draft: 'draft',
  Submitted: 'submitted',
  Approved: 'approved',
  Running: 'running',
  Paused: 'paused',
  Completed: 'completed',
  Cancelled: 'cancelled',
} as const;
export type CampaignStatus = (typeof CampaignStatus)[keyof typeof CampaignStatus];

/** What a user can do to a campaign. */
export const CampaignAction = {
  Submit: 'submit',
  Approve: 'approve',
  Reject: 'reject',
  Launch: 'launch',
  Pause: 'pause',
  Resume: 'resume',
  Complete: 'complete',
  Cancel: 'cancel',
} as const;
export type CampaignAction = (typeof CampaignAction)[keyof typeof CampaignAction];

const TRANSITIONS: Readonly<Record<CampaignAction, { from: readonly CampaignStatus[]; to: CampaignStatus }>> =
  {
    [CampaignAction.Submit]: { from: [CampaignStatus.Draft], to: CampaignStatus.Submitted },
    [CampaignAction.Approve]: { from: [CampaignStatus.Submitted], to: CampaignStatus.Approved },
    [CampaignAction.Reject]: { from: [CampaignStatus.Submitted], to: CampaignStatus.Draft },
    [CampaignAction.Launch]: { from: [CampaignStatus.Approved], to: CampaignStatus.Running },
    [CampaignAction.Pause]: { from: [CampaignStatus.Running], to: CampaignStatus.Paused },
    [CampaignAction.Resume]: { from: [CampaignStatus.Paused], to: CampaignStatus.Running },
    [CampaignAction.Complete]: {
      from: [CampaignStatus.Running, CampaignStatus.Paused],
      to: CampaignStatus.Completed,
    },
    [CampaignAction.Cancel]: {
      from: [
        CampaignStatus.Draft,
        CampaignStatus.Submitted,
        CampaignStatus.Approved,
        CampaignStatus.Running,
        CampaignStatus.Paused,
      ],
      to: CampaignStatus.Cancelled,
    },
  };

/** Who has touched the campaign so far, for the four-eyes rule. */
export interface CampaignAuthors {
  createdBy: string;
  submittedBy: string | null;
}

export type TransitionVerdict =
  { allowed: true; to: CampaignStatus } | { allowed: false; reason: 'not-from-this-status' | 'four-eyes' };

/**
 * Whether `userId` may take `action` on a campaign in `status`. Approval needs a second person: neither
 * whoever wrote the campaign nor whoever submitted it may approve it (four eyes, 双人复核).
 */
export function transition(
  status: CampaignStatus,
  action: CampaignAction,
  userId: string,
  authors: CampaignAuthors,
): TransitionVerdict {
  const rule = TRANSITIONS[action];
  if (!rule.from.includes(status)) return { allowed: false, reason: 'not-from-this-status' };
  if (action === CampaignAction.Approve && (userId === authors.createdBy || userId === authors.submittedBy))
    return { allowed: false, reason: 'four-eyes' };
  return { allowed: true, to: rule.to };
}

/** Only a draft can be edited: what was approved is what runs. */
export const isEditable = (status: CampaignStatus): boolean => status === CampaignStatus.Draft;

/** Targets can be added until the campaign runs; after launch the list is what was approved. */
export const acceptsTargets = (status: CampaignStatus): boolean =>
  status === CampaignStatus.Draft || status === CampaignStatus.Submitted;
