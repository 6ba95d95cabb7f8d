/** Card states the projection derives from card events (active until overdue, active again once paid). */
export const CARD_STATUSES = ['active', 'overdue'] as const;
export type CardStatus = (typeof CARD_STATUSES)[number];
