/**
 * Kafka topic names. These are WIRE NAMES shared with core banking and every service:
 * never rename one; add a new topic and migrate consumers instead.
 */
export const Topics = {
  CorebankCustomer: 'corebank.customer',
  CorebankAccount: 'corebank.account',
  CorebankTransaction: 'corebank.transaction',
  CorebankLoan: 'corebank.loan',
  CorebankCard: 'corebank.card',
  CorebankOrganisation: 'corebank.organisation',
  LobbyQueue: 'lobby.queue',
  CrmAssignment: 'crm.assignment',
  CrmCustomer: 'crm.customer',
  CrmAlert: 'crm.alert',
  CrmCampaignContact: 'crm.campaign.contact',
  CrmAnalyticsProfile: 'crm.analytics.profile',
  CrmAudit: 'crm.audit',
} as const;

export type Topic = (typeof Topics)[keyof typeof Topics];

export const ALL_TOPICS: readonly Topic[] = Object.values(Topics);

/**
 * Who publishes each topic: a system outside the CRM (the CRM receives it) or the CRM service that owns it,
 * and how, when not through its outbox.
 */
export const TOPIC_PUBLISHERS: Readonly<
  Record<Topic, { outside: boolean; publisher: string; how?: string }>
> = {
  [Topics.CorebankCustomer]: { outside: true, publisher: 'core banking' },
  [Topics.CorebankAccount]: { outside: true, publisher: 'core banking' },
  [Topics.CorebankTransaction]: { outside: true, publisher: 'core banking' },
  [Topics.CorebankLoan]: { outside: true, publisher: 'core banking' },
  [Topics.CorebankCard]: { outside: true, publisher: 'core banking' },
  [Topics.CorebankOrganisation]: { outside: true, publisher: 'core banking' },
  [Topics.LobbyQueue]: { outside: true, publisher: 'the lobby queueing system' },
  [Topics.CrmAssignment]: { outside: false, publisher: 'assignment-service' },
  [Topics.CrmCustomer]: { outside: false, publisher: 'customer-service' },
  [Topics.CrmAlert]: { outside: false, publisher: 'alert-service' },
  [Topics.CrmCampaignContact]: { outside: false, publisher: 'campaign-service' },
  [Topics.CrmAnalyticsProfile]: {
    outside: false,
    publisher: 'analytics-service',
    how: 'from its stored profiles, a cursor per close-of-business shard (event ids made from the profile version, so a batch sent again after a crash is de-duplicated)',
  },
  [Topics.CrmAudit]: { outside: false, publisher: 'every CRM service' },
};

/** Where a topic's events go when they cannot be handled; the reason travels in headers. */
export const deadLetterTopicOf = (topic: string): string => `${topic}.dlq`;

/** Partition counts: enough to spread consumers of one service over a few instances. */
export const TOPIC_PARTITIONS = 6;
